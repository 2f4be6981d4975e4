namespace Correlator.Scenarios;

/// <summary>The named scenarios and their default seeds; <see cref="WriteAllAsync"/> regenerates the public corpus.</summary>
public static class ScenarioCatalog
{
    private sealed record Entry(string Name, int DefaultSeed, Func<string, int, Scenario> Make);

    private static readonly Entry[] Entries =
    [
        new("july-2024", 19072024, (n, s) => July2024.Generate(n, s, 0.7, storageManifest: true)),
        new("july-2024-small", 7, (n, s) => July2024.Generate(n, s, 0.4, storageManifest: true)),
        new("july-2024-no-storage-manifest", 1907, (n, s) => July2024.Generate(n, s, 0.55, storageManifest: false)),
    ];

    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToList();

    public static int DefaultSeed(string name) => Find(name).DefaultSeed;

    public static Scenario Generate(string name, int seed) => Find(name).Make(name, seed);

    public static Scenario Generate(string name) => Generate(name, DefaultSeed(name));

    /// <summary>Writes every named scenario with its default seed to <paramref name="directory"/>.</summary>
    public static async Task WriteAllAsync(string directory, CancellationToken ct = default)
    {
        foreach (var name in Names) await ScenarioWriter.WriteAsync(Generate(name), directory, ct);
    }

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name == name) ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", Entries.Select(e => e.Name))}", nameof(name));
}
