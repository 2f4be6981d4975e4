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
    private readonly List<Fact> _pending = [];
    private CorrelationRun? _run;

    public CorrelationSettings Settings => _settings;
    public int Count => _facts.Count;

    /// <summary>Adds one fact; false when it is a duplicate id or not a type the engine reads.</summary>
    public bool Add(object fact)
    {
        if (Fact.From(fact) is not { } f || _facts.ContainsKey(f.Id)) return false;
        _facts[f.Id] = f;
        _pending.Add(f);
        return true;
    }

    public int AddRange(IEnumerable<object> facts) => facts.Count(Add);

    /// <summary>Every finding with its full history of transitions, ordered by detection.</summary>
    public IReadOnlyList<FindingHistory> Evaluate()
    {
        if (_pending.Count > 0)
        {
            var earliest = _pending.Min(f => Bucket(f.Known));
            IEnumerable<Fact> feed = _pending;
            if (_run is null || earliest <= _run.LastBucket)
            {
                _run = new CorrelationRun(_settings);
                feed = _facts.Values;
            }
            var sorted = feed.ToList();
            sorted.Sort(Fact.Compare);
            var start = 0;
            for (var i = 1; i <= sorted.Count; i++)
            {
                if (i < sorted.Count && Bucket(sorted[i].Known) == Bucket(sorted[start].Known)) continue;
                _run.RunBucket(Bucket(sorted[start].Known), sorted.GetRange(start, i - start));
                start = i;
            }
            _pending.Clear();
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

    private long Bucket(DateTimeOffset known) => known.UtcTicks / _settings.Tick.Ticks;
}
