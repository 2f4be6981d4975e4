using Correlator.Correlation;
using Correlator.Findings;
using JasperFx.Events;
using Marten;
using Marten.Events;

namespace Correlator.Replay;

/// <summary>
/// "What did we believe at T?": every finding raised at or before <c>asOf</c>, as its latest transition at or before
/// <c>asOf</c> left it (status, confidence, signatures, evidence). A fold of the finding transition events by their
/// <c>At</c> (the knowledge time the engine decided at), not by when they were appended, so the answer is the same
/// after a rebuild, an import or a late daemon. A finding first raised after <c>asOf</c> is absent; a resolved or
/// dismissed one is present with that status.
/// </summary>
public static class FindingsAsOf
{
    /// <summary>The findings as of <paramref name="asOf"/>, ordered by detection time, then id.</summary>
    public static async Task<IReadOnlyList<Finding>> QueryAsync(IQuerySession session, DateTimeOffset asOf, CancellationToken ct = default) =>
        (await TransitionsAsync(session, asOf, ct)).Select(t => t.Finding).ToList();

    /// <summary>The transition each finding was at as of <paramref name="asOf"/> (its kind, index and time, with the snapshot).</summary>
    public static async Task<IReadOnlyList<IFindingTransition>> TransitionsAsync(IQuerySession session, DateTimeOffset asOf, CancellationToken ct = default) =>
        (await BeliefsAsync(session, asOf, ct)).Select(b => b.Latest).ToList();

    /// <summary>A finding as believed at some time: its latest transition then, and when its first one was decided.</summary>
    public sealed record Belief(IFindingTransition Latest, DateTimeOffset FirstAt);

    /// <summary>As <see cref="TransitionsAsync"/>, with each finding's first transition time (what the API calls detected).</summary>
    public static async Task<IReadOnlyList<Belief>> BeliefsAsync(IQuerySession session, DateTimeOffset asOf, CancellationToken ct = default)
    {
        var transitions = session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(FindingTransitions.Types))
            .ToAsyncEnumerable(ct);
        var latest = new Dictionary<string, IFindingTransition>(StringComparer.Ordinal);
        var first = new Dictionary<string, IFindingTransition>(StringComparer.Ordinal);
        await foreach (var e in transitions)
        {
            var t = (IFindingTransition)e.Data;
            Keep(latest, t, asOf);
            if (t.At <= asOf && (!first.TryGetValue(t.Finding.FindingId, out var f) || t.Transition < f.Transition)) first[t.Finding.FindingId] = t;
        }
        return Order(latest.Values).Select(t => new Belief(t, first[t.Finding.FindingId].At)).ToList();
    }

    /// <summary>The same fold over transitions already in hand (pure).</summary>
    public static IReadOnlyList<IFindingTransition> Fold(IEnumerable<IFindingTransition> transitions, DateTimeOffset asOf)
    {
        var latest = new Dictionary<string, IFindingTransition>(StringComparer.Ordinal);
        foreach (var t in transitions) Keep(latest, t, asOf);
        return Order(latest.Values);
    }

    private static void Keep(Dictionary<string, IFindingTransition> latest, IFindingTransition t, DateTimeOffset asOf)
    {
        if (t.At > asOf) return;
        var id = t.Finding.FindingId;
        if (!latest.TryGetValue(id, out var kept) || t.Transition > kept.Transition) latest[id] = t;
    }

    private static IReadOnlyList<IFindingTransition> Order(IEnumerable<IFindingTransition> latest) => latest
        .OrderBy(t => t.Finding.DetectedAt).ThenBy(t => t.Finding.FindingId, StringComparer.Ordinal)
        .ToList();
}
