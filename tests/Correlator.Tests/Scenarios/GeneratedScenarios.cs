using System.Collections.Concurrent;
using Correlator.Scenarios;

namespace Correlator.Tests.Scenarios;

/// <summary>Each named scenario generated once per test run with its default seed.</summary>
internal static class GeneratedScenarios
{
    private static readonly ConcurrentDictionary<string, Lazy<(Scenario Scenario, string Ndjson)>> Cache = new();

    public static (Scenario Scenario, string Ndjson) Get(string name) =>
        Cache.GetOrAdd(name, n => new Lazy<(Scenario, string)>(() =>
        {
            var s = ScenarioCatalog.Generate(n);
            return (s, ScenarioWriter.Ndjson(s));
        })).Value;

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var n in ScenarioCatalog.Names) data.Add(n);
        return data;
    }

    /// <summary>The repository root (the folder holding Correlator.sln).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Correlator.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Correlator.sln not found above " + AppContext.BaseDirectory);
    }
}
