namespace Correlator.Scenarios;

/// <summary>
/// The seeds of the randomized evaluation (<see cref="RandomizedScenarios"/>), fixed here once and for all.
/// <para>
/// <b>Tuning</b> (1..150) is what a model change may be looked at and adjusted on. <b>Held-out</b> (1001..1160) is only
/// ever reported: never inspected scenario by scenario to choose a setting, a threshold or a mechanism, so its figures
/// stay an estimate of how the engine does on incidents it was not built on. Changing these ranges, or adding held-out
/// seeds that failed to the tuning set, defeats that; add new seeds above 2000 instead, as a new set.
/// </para>
/// </summary>
public static class RandomizedSeeds
{
    public static IReadOnlyList<int> Tuning { get; } = Enumerable.Range(1, 150).ToList();

    public static IReadOnlyList<int> HeldOut { get; } = Enumerable.Range(1001, 160).ToList();

    public static string Name(int seed) => $"randomized-{seed:0000}";
}
