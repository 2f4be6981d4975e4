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
/// </summary>
public sealed class CorrelationEngine(CorrelationSettings? settings = null)
{
    private readonly CorrelationSettings _settings = settings ?? CorrelationSettings.Default;
    private readonly Dictionary<string, Fact> _facts = new(StringComparer.Ordinal);
    private List<Fact> _pending = [];
    private CorrelationRun? _run;
    private long? _watermarkBucket;
    private long _maxBucket = long.MinValue;

    public CorrelationSettings Settings => _settings;
    public int Count => _facts.Count;

    /// <summary>Adds one fact; false when it is a duplicate id or not a type the engine reads.</summary>
    public bool Add(object fact)
    {
        if (Fact.From(fact) is not { } f || _facts.ContainsKey(f.Id)) return false;
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
                if (_run is null || earliest <= _run.LastBucket)
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
            }
        }
        return _run?.Findings.Histories() ?? [];
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
