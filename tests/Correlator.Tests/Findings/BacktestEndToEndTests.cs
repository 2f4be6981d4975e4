using Correlator.Backtest;
using Correlator.Correlation;
using Correlator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Findings;

[Collection(IntegrationCollection.Name)]
public class BacktestEndToEndTests
{
    [Fact]
    public async Task The_july_2024_night_through_kafka_marten_and_the_daemon_names_both_culprits_and_keeps_them_apart()
    {
        var scope = (await TestServices.Instance).NewScope();
        var scenario = Corpus.Path("july-2024-small.ndjson");

        var report = await BacktestRun.RunAsync(scenario, scope.Configuration(), NullLogger.Instance, Corpus.Path("july-2024-small.expected.json"));

        var lines = File.ReadLines(scenario).Count(l => l.Length > 0);
        Assert.Equal(lines, report.Messages);
        Assert.Equal(report.Messages, report.Accepted + report.Duplicates + report.Rejected);
        Assert.True(report.Rejected > 0 && report.Duplicates > 0, "the corpus mixes in malformed and redelivered messages");

        var findings = report.Findings.Cast<Finding>().ToList();
        var crowdstrike = Assert.Single(findings, f => f.UpdateId == "crowdstrike/falcon-content/C-00000291-00000000-00000032");
        Assert.Contains(crowdstrike.Signatures, s => s.Signature == "windows-kernel:0x00000050:csagent.sys");
        Assert.DoesNotContain(crowdstrike.Signatures, s => s.Signature.Contains("storport") || s.Signature.Contains("ntfs"));
        Assert.DoesNotContain(crowdstrike.Services, s => s.Region == "centralus");
        var storage = Assert.Single(findings, f => f.UpdateId == "microsoft/azure-storage/config-2024-07-18-cus");
        Assert.Contains(storage.Services, s => s.Region == "centralus");
        Assert.InRange(crowdstrike.DetectedAt - DateTimeOffset.Parse("2024-07-19T04:09:00Z"), TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Assert.Equal(1.0, report.Accuracy!.Precision);
    }
}
