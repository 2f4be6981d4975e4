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
        new("patch-tuesday-bundle", 813, (n, s) => PatchTuesdayBundle.Generate(n, s, nic: false)),
        new("patch-tuesday-bundle-nic", 8132, (n, s) => PatchTuesdayBundle.Generate(n, s, nic: true)),
        new("innocent-update-day-before", 820, (n, s) => InnocentUpdateDayBefore.Generate(n, s, linux: false)),
        new("innocent-update-day-before-linux", 8202, (n, s) => InnocentUpdateDayBefore.Generate(n, s, linux: true)),
        new("baseline-signature", 905, (n, s) => BaselineSignature.Generate(n, s, linux: false)),
        new("baseline-signature-linux", 9052, (n, s) => BaselineSignature.Generate(n, s, linux: true)),
        new("late-manifest", 827, LateManifest.Generate),
        new("slow-burn", 909, (n, s) => SlowBurn.Generate(n, s, "db")),
        new("slow-burn-k8s", 9092, (n, s) => SlowBurn.Generate(n, s, "k8s-nodes")),
        new("tiny-fleet", 916, TinyFleet.Generate),
        new("config-rollout-regions", 903, ConfigRolloutRegions.Generate),
        new("regional-failure-no-update", 923, RegionalFailureNoUpdate.Generate),
        new("affects-only", 911, AffectsOnly.Generate),
        new("regional-outage-after-flag", 1016, RegionalOutageAfterFlag.Generate),
        new("regional-flag-failure", 1002, RegionalFlagFailure.Generate),
        new("benign-day-1", 1, (n, s) => BenignDay.Generate(n, s, 1)),
        new("benign-day-2", 2, (n, s) => BenignDay.Generate(n, s, 2)),
        new("benign-day-3", 3, (n, s) => BenignDay.Generate(n, s, 3)),
    ];

    public static IReadOnlyList<string> Names { get; } = Entries.Select(e => e.Name).ToList();

    public static int DefaultSeed(string name) => Find(name).DefaultSeed;

    public static Scenario Generate(string name, int seed) => Find(name).Make(name, seed);

    public static Scenario Generate(string name) => Generate(name, DefaultSeed(name));

    /// <summary>Writes every named scenario with its default seed, and a README describing them, to <paramref name="directory"/>.</summary>
    public static async Task WriteAllAsync(string directory, CancellationToken ct = default)
    {
        var scenarios = new List<Scenario>();
        foreach (var name in Names)
        {
            var scenario = Generate(name);
            await ScenarioWriter.WriteAsync(scenario, directory, ct);
            scenarios.Add(scenario);
        }
        await ScenarioWriter.WriteReadmeAsync(scenarios, directory, ct);
    }

    private static Entry Find(string name) =>
        Entries.FirstOrDefault(e => e.Name == name) ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", Entries.Select(e => e.Name))}", nameof(name));
}
