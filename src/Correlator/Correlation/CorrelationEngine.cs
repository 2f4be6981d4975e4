namespace Correlator.Correlation;

/// <summary>
/// The correlation decision engine: a pure function of the set of facts added (crashes, service status,
/// manifests, installations, recalls, feedback) to the findings and their transitions. No I/O, no clock.
/// <code>
/// var engine = new CorrelationEngine(settings);
/// engine.Add(fact); …
/// IReadOnlyList&lt;FindingHistory&gt; findings = engine.Evaluate();
/// </code>
/// Facts may come in any order and batching; a duplicate id is ignored. Evaluation replays in knowledge-time
/// ticks; it continues from where it stopped when new facts are all known after the last tick, and replays
/// from scratch when a fact lands in an already-evaluated tick.
/// <para>
/// <see cref="Windowed"/> (a live service at fleet scale): a fact leaves memory once its tick is evaluated, and the run
/// drops crash times and service observations older than any hypothesis reads (<see cref="CorrelationRun"/>), so memory
/// follows the window, not the history. Only fact ids of the last <see cref="DedupWindow"/> stay, against duplicates.
/// Without the facts a late one (landing in an evaluated tick) cannot be replayed: it is evaluated in the next tick
/// and counted in <see cref="LateFacts"/>. In-order input gives the same findings as the unwindowed engine.
/// </para>
/// </summary>
public sealed class CorrelationEngine(CorrelationSettings? settings = null)
{
    private readonly CorrelationSettings _settings = settings ?? CorrelationSettings.Default;
    private readonly Dictionary<string, Fact> _facts = new(StringComparer.Ordinal);
    private List<Fact> _pending = [];
    private CorrelationRun? _run;
    private long? _watermarkBucket;
    private long _maxBucket = long.MinValue;
    private readonly HashSet<string> _recentIds = new(StringComparer.Ordinal);
    private readonly Queue<(long Bucket, string Id)> _recentOrder = new();

    public CorrelationSettings Settings => _settings;

    /// <summary>Facts held in memory: every fact added, or when <see cref="Windowed"/> those not evaluated yet.</summary>
    public int Count => Windowed ? _pending.Count : _facts.Count;

    /// <summary>Evaluated facts leave memory (see the class summary). Set before the first fact.</summary>
    public bool Windowed { get; init; }

    /// <summary>How long (knowledge time) a windowed engine remembers fact ids to drop duplicates.</summary>
    public TimeSpan DedupWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Facts a windowed engine evaluated in a later tick than their own, since the facts before were gone.</summary>
    public long LateFacts { get; private set; }

    /// <summary>Crash times and service observations the run dropped as out of every window.</summary>
    public long Evicted => _run?.Evicted ?? 0;

    /// <summary>Adds one fact; false when it is a duplicate id or not a type the engine reads.</summary>
    public bool Add(object fact)
    {
        if (Fact.From(fact) is not { } f || _facts.ContainsKey(f.Id)) return false;
        if (Windowed && !_recentIds.Add(f.Id)) return false;
        if (Windowed) _recentOrder.Enqueue((Bucket(f.Known), f.Id));
        _facts[f.Id] = f;
        _maxBucket = Math.Max(_maxBucket, Bucket(f.Known));
        if (f.Payload is Ingestion.IngestWatermarkAdvanced && (_watermarkBucket is null || Bucket(f.Known) > _watermarkBucket)) _watermarkBucket = Bucket(f.Known);
        _pending.Add(f);
        return true;
    }

    public int AddRange(IEnumerable<object> facts) => facts.Count(Add);

    /// <summary>
    /// Every finding with its full history of transitions, ordered by detection. With
    /// <paramref name="closeOpenTick"/> false and no <see cref="Ingestion.IngestWatermarkAdvanced"/>, the latest tick (the minute of
    /// the newest knowledge time) stays open: it is evaluated once a fact from a later minute arrives. With watermarks,
    /// exactly the ticks strictly before the latest watermark's minute are evaluated; later facts stay pending. A live
    /// subscription should pass false (facts of the current minute keep arriving, and evaluating it early would force a
    /// replay); a finished history, true (everything is evaluated).
    /// </summary>
    public IReadOnlyList<FindingHistory> Evaluate(bool closeOpenTick = true)
    {
        Advance(closeOpenTick);
        return _run?.Findings.Histories() ?? [];
    }

    /// <summary>Evaluates what <see cref="Evaluate"/> would, without copying out the findings.</summary>
    public void Advance(bool closeOpenTick = true)
    {
        if (_pending.Count > 0)
        {
            var maxBucket = _watermarkBucket ?? _maxBucket;
            List<Fact> ready;
            if (closeOpenTick) { ready = _pending; _pending = []; }
            else
            {
                ready = [];
                var rest = new List<Fact>();
                foreach (var f in _pending) (Bucket(f.Known) < maxBucket ? ready : rest).Add(f);
                _pending = rest;
            }
            if (ready.Count > 0)
            {
                var earliest = long.MaxValue;
                foreach (var f in ready) earliest = Math.Min(earliest, Bucket(f.Known));
                if (Windowed && _run is not null && earliest <= _run.LastBucket)
                {
                    // The facts before are gone: late ones join the first tick still to come (held until there is one).
                    var onTime = ready.Where(f => Bucket(f.Known) > _run.LastBucket).ToList();
                    if (onTime.Count == 0) { _pending.AddRange(ready); ready = []; }
                    else
                    {
                        var first = onTime.Min(f => Bucket(f.Known));
                        var late = ready.Where(f => Bucket(f.Known) <= _run.LastBucket).ToList();
                        LateFacts += late.Count;
                        late.Sort(Fact.Compare);
                        onTime.Sort(Fact.Compare);
                        var firstTick = onTime.Where(f => Bucket(f.Known) == first).ToList();
                        _run.RunBucket(first, [.. late, .. firstTick], firstTick.Max(f => f.Known));
                        Forget(late);
                        Forget(firstTick);
                        ready = onTime.Where(f => Bucket(f.Known) != first).ToList();
                    }
                }
                else if (_run is null || earliest <= _run.LastBucket)
                {
                    // A fact landed in an evaluated minute: replay every evaluated or ready fact from scratch.
                    _run = new CorrelationRun(_settings);
                    var pending = new HashSet<Fact>(_pending, ReferenceEqualityComparer.Instance);
                    ready = _facts.Values.Where(f => !pending.Contains(f)).ToList();
                }
                ready.Sort(Fact.Compare);
                var start = 0;
                for (var i = 1; i <= ready.Count; i++)
                {
                    if (i < ready.Count && Bucket(ready[i].Known) == Bucket(ready[start].Known)) continue;
                    _run.RunBucket(Bucket(ready[start].Known), ready.GetRange(start, i - start));
                    start = i;
                }
                if (Windowed) Forget(ready);
            }
        }
    }

    private void Forget(List<Fact> evaluated)
    {
        foreach (var f in evaluated) _facts.Remove(f.Id);
        var horizon = _run!.LastBucket - DedupWindow.Ticks / _settings.Tick.Ticks;
        while (_recentOrder.Count > 0 && _recentOrder.Peek().Bucket < horizon) _recentIds.Remove(_recentOrder.Dequeue().Id);
    }

    /// <summary>Evaluates a whole set of facts at once.</summary>
    public static IReadOnlyList<FindingHistory> Run(IEnumerable<object> facts, CorrelationSettings? settings = null)
    {
        var engine = new CorrelationEngine(settings);
        engine.AddRange(facts);
        return engine.Evaluate();
    }

    /// <summary>The finding id of an update's finding raised at a tick: stable, deterministic.</summary>
    public static string FindingIdFor(string updateId, DateTimeOffset raisedAt) => FindingBook.IdFor(updateId, raisedAt);

    /// <summary>The knowledge time the engine uses for a fact (its observed/received time, else its event time).</summary>
    public static DateTimeOffset? KnownAt(object fact) => Fact.From(fact)?.Known;

    private long Bucket(DateTimeOffset known) => known.UtcTicks / _settings.Tick.Ticks;
}
