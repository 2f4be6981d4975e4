using Correlator.Correlation;
using Correlator.Scenarios;
using Xunit.Abstractions;

namespace Correlator.Tests.Scenarios;

public class IncidentLibraryTests(ITestOutputHelper output)
{
    private static string Dir => Path.Combine(GeneratedScenarios.RepoRoot(), "tests", "scenarios", "incidents");

    /// <summary>The committed incidents are what the library generates (<c>CORRELATOR_WRITE_CORPUS=1</c> rewrites them).</summary>
    [Fact]
    [Trait("Category", "Corpus")]
    public async Task Committed_incidents_match_the_library()
    {
        if (Environment.GetEnvironmentVariable("CORRELATOR_WRITE_CORPUS") == "1") { await IncidentLibrary.WriteAllAsync(Dir); return; }
        foreach (var name in IncidentLibrary.Names)
        {
            var s = IncidentLibrary.Generate(name);
            Assert.True(ScenarioWriter.Ndjson(s) == await File.ReadAllTextAsync(Path.Combine(Dir, name + ".ndjson")), $"{name}.ndjson is stale: regenerate");
            Assert.Equal(ScenarioWriter.ExpectedJson(s), await File.ReadAllTextAsync(Path.Combine(Dir, name + ".expected.json")));
            Assert.True(ScenarioWriter.Ndjson(s).Length < 3_000_000, $"{name} is too big");
        }
        Assert.Equal(IncidentLibrary.Readme(IncidentLibrary.Names.Select(IncidentLibrary.Generate)), await File.ReadAllTextAsync(Path.Combine(Dir, "README.md")));
    }

    /// <summary>
    /// Incidents today's engine gets wrong, named so that the assertion below stays strict for every other one. The model
    /// work of #18 is to empty this list; an incident leaving it must pass.
    /// </summary>
    private static readonly string[] KnownFailing =
    [
        "incident-2021-06-08-fastly", // the culprit deploy is 27 days before the failures, beyond the 14-day lookback
        "incident-2024-03-kb5035857-lsass", // slow burn (2-6 days) on a baseline signature (0xEF): missed
        "incident-2025-10-20-aws-dynamodb-dns", // the orders-api flag for us-east-1 of 11 h before is raised: explaining away by the co-failing unnamed services is missing
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void Engine_finds_the_culprits_and_raises_no_innocent(string name)
    {
        var s = IncidentLibrary.Generate(name);
        var score = Accuracy.Run(name, AccuracySuites.Facts(s), s.Expected);
        output.WriteLine(Accuracy.Table(new AccuracyReport([score])));
        var ok = score.FalsePositives.Count == 0 && score.FalseNegatives.Count == 0;
        if (KnownFailing.Contains(name))
            Assert.False(ok, $"{name} now passes: take it off KnownFailing");
        else
            Assert.True(ok, $"{name}: FP {string.Join(",", score.FalsePositives)} FN {string.Join(",", score.FalseNegatives)}");
    }

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var n in IncidentLibrary.Names) data.Add(n);
        return data;
    }
}
