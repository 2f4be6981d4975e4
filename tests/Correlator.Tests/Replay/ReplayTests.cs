using Correlator.Correlation;
using Correlator.Findings;
using Correlator.Replay;
using Correlator.Tests.Support;
using Marten;
using Marten.Events;

namespace Correlator.Tests.Replay;

[Collection(IntegrationCollection.Name)]
public class ReplayTests : IAsyncLifetime
{
    private ReplayFixture live = null!;

    public async Task InitializeAsync() => live = await ReplayFixture.Instance;
    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2024-07-01T00:00:00Z");
    private static readonly DateTimeOffset End = DateTimeOffset.Parse("2024-08-01T00:00:00Z");

    [Fact]
    public async Task Replaying_with_the_live_settings_finds_what_the_service_found_and_touches_nothing_live()
    {
        await using var offline = live.Offline();
        await using var replays = HistoryReplay.OpenStore(live.Scope.ConnectionString, live.Scope.Schema);
        var before = await EventCounts.ReadAsync(offline.Store);

        var run = await HistoryReplay.RunAsync(offline.Store, replays, CorrelationSettings.Default, Start, End);

        Assert.Empty(run.Differences);
        Assert.Equal(live.Findings.Count, run.Unchanged);
        Assert.Equal(live.Findings.Select(f => f.Id), run.Findings.Select(h => h.FindingId).Order(StringComparer.Ordinal));
        Assert.Equal(before, await EventCounts.ReadAsync(offline.Store));
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(offline.Store));
        await using var session = replays.QuerySession();
        var stored = await session.LoadAsync<ReplayRun>(run.Id);
        Assert.NotNull(stored);
        Assert.Equal(run.Findings.Count, stored.Findings.Count);
        Assert.Equal(HistoryReplay.SchemaFor(live.Scope.Schema), replays.Options.DatabaseSchemaName);
    }

    [Fact]
    public async Task A_stricter_threshold_reports_what_it_would_have_missed_or_found_later()
    {
        await using var offline = live.Offline();
        await using var replays = HistoryReplay.OpenStore(live.Scope.ConnectionString, live.Scope.Schema);
        var strict = CorrelationSettings.Default with { MinHosts = 40, MinCrashes = 60 };

        var run = await HistoryReplay.RunAsync(offline.Store, replays, strict, Start, End);

        Assert.NotEmpty(run.Differences);
        Assert.Equal(live.Findings.Count, run.Unchanged + run.Differences.Count(d => d.Live is not null));
        Assert.Contains(run.Differences, d => d.Changes.Contains(FindingDiff.Change.Disappeared) || d.Changes.Contains(FindingDiff.Change.Later));
        Assert.DoesNotContain(run.Differences, d => d.Changes.Contains(FindingDiff.Change.Earlier));
        foreach (var d in run.Differences.Where(d => d.Live is not null && d.Replay is not null))
            Assert.Equal(d.Replay!.DetectedAt - d.Live!.DetectedAt, d.DetectionShift);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(offline.Store));
    }

    [Fact]
    public async Task A_window_compares_only_findings_detected_inside_it()
    {
        await using var offline = live.Offline();
        await using var replays = HistoryReplay.OpenStore(live.Scope.ConnectionString, live.Scope.Schema);
        var first = live.Findings.Min(f => f.DetectedAt);

        var run = await HistoryReplay.RunAsync(offline.Store, replays, CorrelationSettings.Default, first.AddMinutes(1), End);

        Assert.Empty(run.Differences);
        Assert.Equal(live.Findings.Count(f => f.DetectedAt > first), run.Unchanged);
    }

    [Fact]
    public async Task Findings_as_of_a_time_change_exactly_when_a_transition_says_so()
    {
        await using var offline = live.Offline();
        await using var session = offline.Store.QuerySession();
        var transitions = (await session.Events.QueryAllRawEvents()
                .Where(e => e.EventTypesAre(FindingTransitions.Types)).ToListAsync())
            .Select(e => (IFindingTransition)e.Data).ToList();
        Assert.NotEmpty(transitions);
        Assert.True(transitions.Count > live.Findings.Count, "the history has updates, not only raises");

        var times = transitions.Select(t => t.At).Distinct().Order().ToList();
        Assert.Empty(await FindingsAsOf.QueryAsync(session, times[0].AddTicks(-1)));
        // The fold at every transition time, just before it and half-way to the next one. "Changed" means "moved to
        // another transition": the engine may restate a finding unchanged.
        for (var i = 0; i < times.Count; i++)
        {
            var t = times[i];
            var justBefore = States(FindingsAsOf.Fold(transitions, t.AddTicks(-1)));
            var at = States(FindingsAsOf.Fold(transitions, t));
            var changed = at.Where(kv => !justBefore.TryGetValue(kv.Key, out var was) || was != kv.Value).Select(kv => kv.Key).Order(StringComparer.Ordinal);
            Assert.Equal(transitions.Where(x => x.At == t).Select(x => x.Finding.FindingId).Distinct().Order(StringComparer.Ordinal), changed);
            Assert.Empty(justBefore.Keys.Except(at.Keys));
            var next = i + 1 < times.Count ? times[i + 1] : t.AddDays(30);
            Assert.Equal(at, States(FindingsAsOf.Fold(transitions, t + (next - t) / 2)));
        }
        // The store query is that fold: at each finding's raise, around it, and at a spread of other transition times.
        var probes = live.Findings.Select(f => f.DetectedAt)
            .Concat(times.Where((_, i) => i % Math.Max(1, times.Count / 12) == 0))
            .SelectMany(t => new[] { t.AddTicks(-1), t, t.AddSeconds(30) })
            .Append(DateTimeOffset.MaxValue);
        foreach (var t in probes)
        {
            var queried = await FindingsAsOf.TransitionsAsync(session, t);
            Assert.Equal(States(FindingsAsOf.Fold(transitions, t)), States(queried));
            Assert.Equal(queried.Select(x => x.Finding.FindingId), (await FindingsAsOf.QueryAsync(session, t)).Select(f => f.FindingId));
        }
        var now = await FindingsAsOf.QueryAsync(session, DateTimeOffset.MaxValue);
        Assert.Equal(live.Findings.Select(f => (f.Id, f.Status, f.Confidence)), now.Select(f => (f.FindingId, f.Status, f.Confidence)).OrderBy(f => f.FindingId, StringComparer.Ordinal));
    }

    private static Dictionary<string, int> States(IEnumerable<IFindingTransition> latest) =>
        latest.ToDictionary(t => t.Finding.FindingId, t => t.Transition);
}
