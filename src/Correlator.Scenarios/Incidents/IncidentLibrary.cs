using System.Text;

namespace Correlator.Scenarios;

/// <summary>
/// Real incidents reconstructed from their public post-mortems (each file's summary names its source), committed under
/// <c>tests/scenarios/incidents</c>. Deterministic: regenerate with <see cref="WriteAllAsync"/>
/// (<c>CORRELATOR_WRITE_CORPUS=1 dotnet test tests/Correlator.Tests --filter Category=Corpus</c>).
/// </summary>
public static class IncidentLibrary
{
    private static readonly (string Name, Func<Scenario> Make)[] Entries =
    [
        (CrowdStrikeChannelFile291.Name, CrowdStrikeChannelFile291.Generate),
        (WindowsServerLsassLeak.Name, WindowsServerLsassLeak.Generate),
        (CloudflareWafRule2019.Name, CloudflareWafRule2019.Generate),
        (CloudflareBotManagement2025.Name, CloudflareBotManagement2025.Generate),
        (GoogleServiceControl2025.Name, GoogleServiceControl2025.Generate),
        (FastlyLatentBug2021.Name, FastlyLatentBug2021.Generate),
        (AwsDynamoDbDns2025.Name, AwsDynamoDbDns2025.Generate),
    ];

    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToList();

    public static Scenario Generate(string name) =>
        (Entries.FirstOrDefault(e => e.Name == name).Make ?? throw new ArgumentException($"unknown incident '{name}'; known: {string.Join(", ", Names)}", nameof(name)))();

    public static async Task WriteAllAsync(string directory, CancellationToken ct = default)
    {
        var scenarios = Names.Select(Generate).ToList();
        foreach (var s in scenarios) await ScenarioWriter.WriteAsync(s, directory, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "README.md"), Readme(scenarios), new UTF8Encoding(false), ct);
    }

    public static string Readme(IEnumerable<Scenario> scenarios)
    {
        var sb = new StringBuilder();
        sb.Append("# Reconstructed incidents\n\n");
        sb.Append("Real incidents rebuilt from their public post-mortems (times, modules, bugchecks, regions and rollout shape as published,\n");
        sb.Append("at a few hundred hosts) by `Correlator.Scenarios.IncidentLibrary`; each generator's summary comment names its source.\n");
        sb.Append("Generated, deterministic: do not edit by hand. Regenerate: `CORRELATOR_WRITE_CORPUS=1 dotnet test tests/Correlator.Tests --filter Category=Corpus`.\n");
        sb.Append("`bench accuracy --suite incidents` scores them (`--pipeline`: through Kafka, Marten and the projections).\n");
        foreach (var s in scenarios)
        {
            sb.Append($"\n## {s.Name}\n\n{s.Description}\n\n");
            sb.Append($"- lines: {s.Lines.Count} ({s.Lines.Count(l => l.RawValue is not null)} malformed)\n");
            sb.Append(s.Expected.Culprits.Count == 0 ? "- culprits: none\n" : $"- culprits: {string.Join(", ", s.Expected.Culprits.Select(c => $"`{c.UpdateId}`"))}\n");
            sb.Append($"- not culprits: {string.Join(", ", s.Expected.NotCulprits.Select(x => $"`{x}`"))}\n");
        }
        return sb.ToString();
    }
}
