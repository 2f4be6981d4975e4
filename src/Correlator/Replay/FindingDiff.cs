using Correlator.Correlation;

namespace Correlator.Replay;

/// <summary>
/// How a replay's findings differ from the live ones (pure). Findings are matched by the update they blame, in order of
/// detection (the n-th live finding of an update against the n-th replayed one): ids cannot match across settings,
/// since a finding's id names the minute it was raised.
/// </summary>
public static class FindingDiff
{
    public static class Change
    {
        public const string Appeared = "appeared";
        public const string Disappeared = "disappeared";
        public const string Earlier = "earlier";
        public const string Later = "later";
        public const string Confidence = "confidence";
        public const string Status = "status";
    }

    /// <summary>One matched pair (or a finding on one side only) and what changed; <see cref="Changes"/> empty when nothing did.</summary>
    public sealed record Row(
        string UpdateId,
        IReadOnlyList<string> Changes,
        Side? Live,
        Side? Replay,
        TimeSpan? DetectionShift,
        double? ConfidenceDelta);

    public sealed record Side(string FindingId, string Status, double Confidence, DateTimeOffset DetectedAt)
    {
        public static Side Of(Finding f) => new(f.FindingId, f.Status, f.Confidence, f.DetectedAt);
    }

    public static IReadOnlyList<Row> Compare(IReadOnlyList<Finding> live, IReadOnlyList<Finding> replay)
    {
        var rows = new List<Row>();
        var updates = live.Select(f => f.UpdateId).Union(replay.Select(f => f.UpdateId)).Order(StringComparer.Ordinal);
        foreach (var update in updates)
        {
            var l = live.Where(f => f.UpdateId == update).OrderBy(f => f.DetectedAt).ToList();
            var r = replay.Where(f => f.UpdateId == update).OrderBy(f => f.DetectedAt).ToList();
            for (var i = 0; i < Math.Max(l.Count, r.Count); i++)
            {
                if (i >= r.Count) { rows.Add(new Row(update, [Change.Disappeared], Side.Of(l[i]), null, null, null)); continue; }
                if (i >= l.Count) { rows.Add(new Row(update, [Change.Appeared], null, Side.Of(r[i]), null, null)); continue; }
                var (a, b) = (l[i], r[i]);
                var changes = new List<string>();
                var shift = b.DetectedAt - a.DetectedAt;
                if (shift < TimeSpan.Zero) changes.Add(Change.Earlier);
                if (shift > TimeSpan.Zero) changes.Add(Change.Later);
                var delta = b.Confidence - a.Confidence;
                if (Math.Abs(delta) >= 1e-6) changes.Add(Change.Confidence);
                if (a.Status != b.Status) changes.Add(Change.Status);
                rows.Add(new Row(update, changes, Side.Of(a), Side.Of(b), shift, delta));
            }
        }
        return rows.OrderBy(r => (r.Live ?? r.Replay)!.DetectedAt).ThenBy(r => r.UpdateId, StringComparer.Ordinal).ToList();
    }
}
