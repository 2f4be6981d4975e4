using System.Text.Json;
using System.Text.RegularExpressions;
using Correlator.Correlation;
using Correlator.Ingestion.Events;
using Correlator.Scenarios;

namespace Correlator.Tests.Scenarios;

public partial class ScenarioCorpusTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Theory]
    [MemberData(nameof(Names))]
    public void Same_seed_gives_identical_bytes_and_another_seed_differs(string name)
    {
        var (scenario, ndjson) = GeneratedScenarios.Get(name);
        var again = ScenarioCatalog.Generate(name, ScenarioCatalog.DefaultSeed(name));
        Assert.Equal(ndjson, ScenarioWriter.Ndjson(again));
        Assert.Equal(ScenarioWriter.ExpectedJson(scenario), ScenarioWriter.ExpectedJson(again));
        var other = ScenarioCatalog.Generate(name, ScenarioCatalog.DefaultSeed(name) + 1);
        Assert.NotEqual(ndjson, ScenarioWriter.Ndjson(other));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Ids_are_unique_except_exact_redeliveries(string name)
    {
        var (scenario, _) = GeneratedScenarios.Get(name);
        var byId = new Dictionary<string, string>();
        var redeliveries = 0;
        foreach (var line in scenario.Lines.Where(l => l.Value is not null))
        {
            var id = line.Value!.Value.GetProperty("id").GetString()!;
            var text = line.Value.Value.GetRawText();
            if (byId.TryGetValue(id, out var seen))
            {
                Assert.Equal(seen, text);
                redeliveries++;
            }
            else byId[id] = text;
        }
        Assert.True(redeliveries >= 3, $"{name}: only {redeliveries} redeliveries");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_scenario_has_malformed_lines_and_well_formed_values(string name)
    {
        var (scenario, _) = GeneratedScenarios.Get(name);
        var raw = scenario.Lines.Where(l => l.RawValue is not null).ToList();
        Assert.True(raw.Count >= 5);
        Assert.Contains(raw, l => !l.RawValue!.TrimStart().StartsWith('{'));
        foreach (var line in scenario.Lines.Where(l => l.Value is not null))
        {
            var v = line.Value!.Value;
            Assert.Equal(JsonValueKind.Object, v.ValueKind);
            var required = line.Topic switch
            {
                Wire.CrashDumps => ["id", "hostId", "occurredAt", "platform", "kind"],
                Wire.ServiceStatus => ["id", "service", "status", "observedAt"],
                Wire.UpdateManifests => v.GetProperty("type").GetString() switch
                {
                    "release" => ["id", "updateId", "vendor", "product", "version", "releasedAt"],
                    "recall" => ["id", "updateId", "recalledAt"],
                    "installation" => new[] { "id", "updateId", "hostId", "installedAt" },
                    var t => throw new Xunit.Sdk.XunitException($"unexpected manifest type {t}"),
                },
                var t => throw new Xunit.Sdk.XunitException($"unexpected topic {t}"),
            };
            foreach (var field in required) Assert.True(v.TryGetProperty(field, out _), $"{line.Topic} line without {field}: {v.GetRawText()[..Math.Min(200, v.GetRawText().Length)]}");
            var expectedKey = line.Topic switch
            {
                Wire.CrashDumps => v.GetProperty("hostId").GetString(),
                Wire.UpdateManifests => v.GetProperty("updateId").GetString(),
                _ => $"{v.GetProperty("service").GetString()}|{(v.TryGetProperty("region", out var r) ? r.GetString() : "global")}",
            };
            Assert.Equal(expectedKey, line.Key);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Timestamps_are_rfc3339_with_offset(string name)
    {
        var (scenario, _) = GeneratedScenarios.Get(name);
        foreach (var line in scenario.Lines.Where(l => l.Value is not null))
            foreach (var ts in Timestamps(line.Value!.Value))
                Assert.Matches(Rfc3339(), ts);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Expected_outcome_names_updates_and_signatures_that_occur(string name)
    {
        var (scenario, _) = GeneratedScenarios.Get(name);
        var values = scenario.Lines.Where(l => l.Value is not null).Select(l => (l.Topic, V: l.Value!.Value)).ToList();
        var released = values.Where(x => x.Topic == Wire.UpdateManifests && x.V.GetProperty("type").GetString() == "release")
            .Select(x => x.V.GetProperty("updateId").GetString()!).ToHashSet();
        var signatures = values.Where(x => x.Topic == Wire.CrashDumps)
            .Select(x => Signature.Of(x.V.Deserialize<CrashReported>(Web)!)).ToHashSet();
        signatures.UnionWith(values.Where(x => x.Topic == Wire.ServiceStatus)
            .Select(x => x.V.Deserialize<ServiceStatusObserved>(Web)!)
            .Where(s => s.Status is not "operational" and not "maintenance")
            .Select(s => Signature.OfService(s.Service, s.Region)));

        Assert.NotEmpty(scenario.Expected.NotCulprits);
        foreach (var c in scenario.Expected.Culprits)
        {
            Assert.Contains(c.UpdateId, released);
            Assert.NotEmpty(c.Signatures);
            foreach (var s in c.Signatures) Assert.Contains(s, signatures);
        }
        foreach (var n in scenario.Expected.NotCulprits)
        {
            Assert.Contains(n, released);
            Assert.DoesNotContain(scenario.Expected.Culprits, c => c.UpdateId == n);
        }
        Assert.False(string.IsNullOrWhiteSpace(scenario.Description));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Scenario_files_stay_small(string name)
    {
        var (_, ndjson) = GeneratedScenarios.Get(name);
        Assert.True(ndjson.Length < 5_000_000, $"{name} is {ndjson.Length} bytes");
    }

    /// <summary>
    /// The committed corpus under tests/scenarios is what the generator makes. Set CORRELATOR_WRITE_CORPUS=1 to rewrite it:
    /// <c>CORRELATOR_WRITE_CORPUS=1 dotnet test tests/Correlator.Tests --filter Category=Corpus</c>.
    /// </summary>
    [Fact]
    [Trait("Category", "Corpus")]
    public async Task Committed_corpus_matches_the_generator()
    {
        var dir = Path.Combine(GeneratedScenarios.RepoRoot(), "tests", "scenarios");
        if (Environment.GetEnvironmentVariable("CORRELATOR_WRITE_CORPUS") == "1")
        {
            foreach (var name in ScenarioCatalog.Names) await ScenarioWriter.WriteAsync(GeneratedScenarios.Get(name).Scenario, dir);
            await ScenarioWriter.WriteReadmeAsync(ScenarioCatalog.Names.Select(n => GeneratedScenarios.Get(n).Scenario), dir);
            return;
        }
        foreach (var name in ScenarioCatalog.Names)
        {
            var (scenario, ndjson) = GeneratedScenarios.Get(name);
            var file = Path.Combine(dir, name + ".ndjson");
            Assert.True(File.Exists(file), $"{file} missing: regenerate the corpus");
            Assert.True(ndjson == await File.ReadAllTextAsync(file), $"{file} is stale: regenerate the corpus");
            Assert.Equal(ScenarioWriter.ExpectedJson(scenario), await File.ReadAllTextAsync(Path.Combine(dir, name + ".expected.json")));
        }
        Assert.Equal(ScenarioWriter.Readme(ScenarioCatalog.Names.Select(n => GeneratedScenarios.Get(n).Scenario)), await File.ReadAllTextAsync(Path.Combine(dir, "README.md")));
    }

    public static TheoryData<string> Names() => GeneratedScenarios.Names();

    private static IEnumerable<string> Timestamps(JsonElement v)
    {
        foreach (var field in new[] { "occurredAt", "observedAt", "releasedAt", "recalledAt", "installedAt" })
            if (v.TryGetProperty(field, out var t)) yield return t.GetString()!;
        if (v.TryGetProperty("rollout", out var waves))
            foreach (var w in waves.EnumerateArray()) yield return w.GetProperty("startsAt").GetString()!;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
