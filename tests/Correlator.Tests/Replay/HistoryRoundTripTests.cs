using Correlator.Backtest;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Replay;
using Correlator.Tests.Support;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Correlator.Tests.Replay;

[Collection(IntegrationCollection.Name)]
public class HistoryRoundTripTests : IAsyncLifetime
{
    private ReplayFixture live = null!;

    public async Task InitializeAsync() => live = await ReplayFixture.Instance;
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Export_then_import_into_an_empty_store_gives_the_same_findings_and_a_second_import_adds_nothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.ndjson");
        var again = file + ".again";
        try
        {
            HistoryExport.Report exported;
            await using (var offline = live.Offline())
            await using (var output = File.Create(file))
                exported = await HistoryExport.ExportAsync(offline.Store, output, live.Scope.Topics);
            Assert.True(exported.Rejected > 0, "the scenario's malformed messages are part of the history");
            Assert.Equal(0, exported.InexactRejected);

            var empty = (await TestServices.Instance).NewScope();
            await using var host = await ServiceHost.StartAsync(empty, ReplayFixture.AnyPort);
            var import = Importer(host);
            var first = await import.ImportAsync(file);
            Assert.Equal(exported.Lines, first.Lines);
            Assert.Equal(exported.Messages, first.Accepted);
            Assert.Equal(exported.Rejected, first.Rejected);
            await host.Store.WaitForNonStaleProjectionDataAsync(ReplayFixture.Limit);
            await host.Store.WaitForNonStaleProjectionDataAsync(ReplayFixture.Limit);
            var findings = await FindingSnapshot.ReadAsync(host.Store);
            Assert.NotEmpty(findings);
            Assert.Equal(live.Findings.Select(f => (f.Id, f.Status, f.Confidence, f.DetectedAt)), findings.Select(f => (f.Id, f.Status, f.Confidence, f.DetectedAt)));
            Assert.Equal(live.Findings, findings);

            var events = await ReplayFixture.CountEventsAsync(host.Store);
            var second = await import.ImportAsync(file);
            Assert.Equal((0L, 0L), (second.Accepted, second.Rejected));
            Assert.Equal(exported.Messages, second.Duplicates);
            await host.Store.WaitForNonStaleProjectionDataAsync(ReplayFixture.Limit);
            Assert.Equal(events, await ReplayFixture.CountEventsAsync(host.Store));
            Assert.Equal(findings, await FindingSnapshot.ReadAsync(host.Store));

            // The imported store exports the same messages in the same order. Refused lines are placed after the newest
            // message stored before them, which depends on how partitions interleaved; they are the same lines.
            await using (var output = File.Create(again))
                await HistoryExport.ExportAsync(host.Store, output, empty.Topics);
            string[] Accepted(string f) => File.ReadLines(f).Where(l => !l.Contains("\"rawValue\"", StringComparison.Ordinal)).ToArray();
            Assert.Equal(Accepted(file), Accepted(again));
            Assert.Equal(File.ReadLines(file).Order(StringComparer.Ordinal), File.ReadLines(again).Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(file);
            File.Delete(again);
        }
    }

    [Fact]
    public async Task Ingesting_the_same_scenario_twice_changes_nothing()
    {
        Assert.NotEmpty(live.Findings);
        Assert.Equal(live.Findings, live.FindingsAfterSecondIngest);
        var (first, second) = (live.AfterFirstIngest, live.AfterSecondIngest);
        Assert.Equal((first.Inputs, first.Transitions), (second.Inputs, second.Transitions));
        // Refused messages are recorded once per content (key and value), so the same malformed lines again add nothing (issue 23).
        var malformed = File.ReadLines(ReplayFixture.Scenario).Count(l => l.Contains("\"rawValue\"", StringComparison.Ordinal));
        Assert.True(malformed > 0);
        Assert.Equal(first.Rejected, second.Rejected);
        Assert.Equal(first.All + (second.Watermarks - first.Watermarks), second.All);
    }

    [Fact]
    public async Task Findings_do_not_depend_on_the_ingestion_batch_size()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 2);
        var settings = ReplayFixture.AnyPort;
        settings["Ingestion:BatchSize"] = "37";
        await using var host = await ServiceHost.StartAsync(scope, settings);
        Assert.Equal(37, host.Get<IOptions<IngestionOptions>>().Value.BatchSize);
        await BacktestRun.RunAsync(host.App, ReplayFixture.Scenario, NullLogger.Instance, ReplayFixture.Limit, CancellationToken.None);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(host.Store));
    }

    private static HistoryImport Importer(ServiceHost host) => new(host.Store, host.Get<MessageValidator>(),
        host.Get<IOptions<IngestionOptions>>().Value, host.Get<IOptions<KafkaOptions>>().Value.Topics, TimeProvider.System);
}
