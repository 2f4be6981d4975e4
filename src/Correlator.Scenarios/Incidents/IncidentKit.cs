using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// What a reconstructed incident is written with: explicit fleets, regions and status sources on top of the randomized
/// generator's world and sink (background crashes, blips, upload delays, redeliveries, malformed lines), and the same
/// expected-outcome rule (caused crashes on ≥ 3 hosts, observed caused episodes, first failure in true time).
/// </summary>
internal sealed class IncidentKit
{
    private readonly List<string> _culprits = [];
    private readonly List<string> _notes = [];

    public IncidentKit(int seed, DateTimeOffset start, DateTimeOffset end)
    {
        W = new RandomizedWorld(seed, start, end - start);
        Sink = new RandomizedSink(W);
    }

    public RandomizedWorld W { get; }
    public RandomizedSink Sink { get; }
    public List<string> Innocents { get; } = [];

    public RFleet Fleet(string name, string platform, IReadOnlyList<string> regions, IReadOnlyList<string> builds, int size, string prefix)
    {
        foreach (var r in regions) if (!W.Regions.Contains(r)) W.Regions.Add(r);
        var fleet = new RFleet(name, platform, regions, builds, []);
        for (var i = 0; i < size; i++)
        {
            var skew = W.Chance(0.04) ? -W.Minutes(1, 30) : TimeSpan.Zero;
            var host = new RHost($"{prefix}-{i:0000}", name, regions[i % regions.Count], platform, builds[i % builds.Count], skew, null);
            fleet.Hosts.Add(host);
            W.Hosts.Add(host);
        }
        W.Fleets.Add(fleet);
        return fleet;
    }

    public void Services(IReadOnlyList<string> services, IReadOnlyList<string> regions, bool transitionsOnly, int intervalMinutes = 10)
    {
        foreach (var s in services)
            foreach (var r in regions)
            {
                if (!W.Regions.Contains(r)) W.Regions.Add(r);
                W.Services.Add(new RServiceRegion(s, r, transitionsOnly, TimeSpan.FromMinutes(intervalMinutes)));
            }
    }

    public RServiceRegion Service(string service, string region) => W.Services.First(s => s.Service == service && s.Region == region);

    public void Background() => RandomizedBackground.Add(W, Sink, _notes);

    public void Culprit(string updateId) => _culprits.Add(updateId);

    public void Innocent(UpdateReleased release)
    {
        Sink.Release(release);
        Innocents.Add(release.UpdateId);
    }

    public Scenario Build(string name, string description)
    {
        var lines = Sink.Finish();
        var expected = new ExpectedOutcome(_culprits.Select(c => RandomizedScenarios.Expected(Sink, c)).ToList(),
            Innocents.Where(i => !_culprits.Contains(i)).Distinct().ToList());
        return new Scenario(name, lines, expected, description);
    }

    public static DateTimeOffset Utc(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.Zero);
}
