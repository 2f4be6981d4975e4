namespace Correlator.Correlation;

/// <summary>The observations of one service in one region (event time ascending).</summary>
public sealed class ServiceHistory(string service, string region)
{
    private readonly List<(DateTimeOffset At, string Status, string Id)> _obs = [];

    public string Service { get; } = service;
    public string Region { get; } = region;
    public string Signature { get; } = Correlation.Signature.OfService(service, region);
    public IReadOnlyList<(DateTimeOffset At, string Status, string Id)> Observations => _obs;

    public static bool IsDegraded(string status) => status is "degraded" or "partial_outage" or "major_outage";

    public static int Severity(string status) => status switch
    {
        "major_outage" => 3,
        "partial_outage" => 2,
        "degraded" => 1,
        _ => 0,
    };

    /// <summary>Adds an observation; false when it cannot change the episodes (a healthy one appended at the end).</summary>
    public bool Add(DateTimeOffset at, string status, string id)
    {
        var item = (at, status.ToLowerInvariant(), id);
        var i = _obs.Count;
        while (i > 0 && Compare(_obs[i - 1], item) > 0) i--;
        _obs.Insert(i, item);
        if (at > _latest) _latest = at;
        if (i == _obs.Count - 1 && !IsDegraded(item.Item2)) return false;
        _version++;
        return true;
    }

    private DateTimeOffset _latest = DateTimeOffset.MinValue;
    private int _version, _cachedVersion = -1, _cachedMin;
    private TimeSpan _cachedSpan;
    private List<(DateTimeOffset Onset, int Count, string Worst)> _cached = [];

    /// <summary>
    /// The onset of the newest run of degraded observations when it has not qualified as an episode yet but still may
    /// (no later observation): it becomes one once it has lasted the minimum span. Null when there is none.
    /// </summary>
    public DateTimeOffset? PendingOnset { get; private set; }

    private static int Compare((DateTimeOffset At, string Status, string Id) a, (DateTimeOffset At, string Status, string Id) b) =>
        a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id);

    /// <summary>Degraded observations in [from, to], the first of them and the worst status.</summary>
    public (int Count, DateTimeOffset? First, string Worst) DegradedBetween(DateTimeOffset from, DateTimeOffset to)
    {
        int n = 0; DateTimeOffset? first = null; var worst = "operational";
        foreach (var o in _obs)
        {
            if (o.At < from || o.At > to || !IsDegraded(o.Status)) continue;
            n++;
            first ??= o.At;
            if (Severity(o.Status) > Severity(worst)) worst = o.Status;
        }
        return (n, first, worst);
    }

    /// <summary>Whether it was already degraded just before <paramref name="at"/> (last observation before it).</summary>
    public bool DegradedBefore(DateTimeOffset at, DateTimeOffset notBefore)
    {
        for (var i = _obs.Count - 1; i >= 0; i--)
        {
            if (_obs[i].At >= at) continue;
            if (_obs[i].At < notBefore) return false;
            return IsDegraded(_obs[i].Status);
        }
        return false;
    }

    /// <summary>
    /// Degradation episodes known by <paramref name="until"/>: runs of consecutive degraded observations (maintenance
    /// neither extends nor ends one) with at least <paramref name="minObservations"/> of them, or lasting at least
    /// <paramref name="minSpan"/> (to the next healthy observation, or to <paramref name="until"/> while none came):
    /// a source that publishes transitions sends one observation per episode. Onset, count, worst status.
    /// </summary>
    public List<(DateTimeOffset Onset, int Count, string Worst)> Episodes(DateTimeOffset until, int minObservations, TimeSpan minSpan)
    {
        if (_latest > until) return ComputeEpisodes(until, minObservations, minSpan);
        // A pending run's qualification depends on until: no caching while there is one.
        if (_cachedVersion != _version || _cachedMin != minObservations || _cachedSpan != minSpan || PendingOnset is not null)
        {
            _cached = ComputeEpisodes(until, minObservations, minSpan);
            (_cachedVersion, _cachedMin, _cachedSpan) = (_version, minObservations, minSpan);
        }
        return _cached;
    }

    private List<(DateTimeOffset Onset, int Count, string Worst)> ComputeEpisodes(DateTimeOffset until, int minObservations, TimeSpan minSpan)
    {
        var result = new List<(DateTimeOffset, int, string)>();
        DateTimeOffset? onset = null;
        int n = 0; var worst = "operational";
        foreach (var o in _obs)
        {
            if (o.At > until) break;
            if (o.Status == "maintenance") continue;
            if (IsDegraded(o.Status))
            {
                onset ??= o.At;
                n++;
                if (Severity(o.Status) > Severity(worst)) worst = o.Status;
                continue;
            }
            if (onset is { } s && (n >= minObservations || o.At - s >= minSpan)) result.Add((s, n, worst));
            onset = null; n = 0; worst = "operational";
        }
        PendingOnset = null;
        if (onset is { } last)
        {
            if (n >= minObservations || until - last >= minSpan) result.Add((last, n, worst));
            else PendingOnset = last;
        }
        return result;
    }

    /// <summary>
    /// Drops observations before the last healthy one before <paramref name="before"/>: the episodes they made ended by
    /// then, so their onsets lie before every window that starts at or after it. That healthy observation stays.
    /// </summary>
    public int Evict(DateTimeOffset before)
    {
        var keep = -1;
        for (var i = 0; i < _obs.Count && _obs[i].At < before; i++)
            if (_obs[i].Status != "maintenance" && !IsDegraded(_obs[i].Status)) keep = i;
        if (keep <= 0) return 0;
        _obs.RemoveRange(0, keep);
        _version++;
        return keep;
    }

    public bool ObservedBetween(DateTimeOffset from, DateTimeOffset to) => _obs.Any(o => o.At > from && o.At <= to);

    /// <summary>The status of the last observation at or before <paramref name="at"/>.</summary>
    public (DateTimeOffset At, string Status)? LastAt(DateTimeOffset at)
    {
        for (var i = _obs.Count - 1; i >= 0; i--)
            if (_obs[i].At <= at) return (_obs[i].At, _obs[i].Status);
        return null;
    }
}
