using Correlator.Correlation;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Subscriptions;
using Microsoft.Extensions.Logging;

namespace Correlator.Findings;

/// <summary>
/// Feeds stored facts, in store order, to the pure <see cref="CorrelationEngine"/> and appends the finding
/// transitions it reports that are not in the store yet. The engine's answer is a function of the facts alone
/// (event time, not processing time), so a restart, a rebuild or a slower daemon gives the same findings.
/// On start (or after its progress was reset) it rebuilds the engine from the events before its first page.
/// </summary>
public sealed class FindingsSubscription : SubscriptionBase
{
    public static readonly Type[] FactTypes =
[.. InputEvents.Types, typeof(FindingFeedback), typeof(IngestWatermarkAdvanced)];

    private readonly CorrelationSettings _settings;
    private readonly ILogger<FindingsSubscription> _log;
    private readonly Telemetry.CorrelatorMetrics? _metrics;
    private CorrelationEngine? _engine;
    private Dictionary<string, int> _emitted = new(StringComparer.Ordinal);
    private long _processedThrough;
    // Facts known at or after the watermark's minute wait here: their minute may still receive facts from other partitions.
    private List<object> _held = [];
    private DateTimeOffset? _watermark;
    // The watermark the engine last evaluated through: a fact known before it arrives late and makes the engine replay.
    private DateTimeOffset? _evaluatedThrough;
    private int _late;
    private TimeSpan _lateBy;

    public FindingsSubscription(CorrelationSettings settings, ILogger<FindingsSubscription> log, Telemetry.CorrelatorMetrics? metrics = null)
    {
        _settings = settings;
        _log = log;
        _metrics = metrics;
        Name = "Findings";
        foreach (var t in FactTypes) IncludeType(t);
        Options.BatchSize = 2000;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        if (_engine is null || page.SequenceFloor < _processedThrough)
            await RestoreAsync(operations, page.SequenceFloor, cancellationToken);

        foreach (var e in page.Events) Feed(e.Data);
        Release();
        _processedThrough = page.SequenceCeiling;
        if (_late > 0)
        {
            _log.LogWarning("Findings: {Count} facts arrived after their minute was evaluated (up to {LateBy} late in event time); the engine replays, " +
                            "and what it reported before stays in the findings' history", _late, _lateBy);
            (_late, _lateBy) = (0, TimeSpan.Zero);
        }
        _evaluatedThrough = _watermark;

        var appended = 0;
        var byKind = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var history in _engine!.Evaluate(closeOpenTick: true))
        {
            var done = _emitted.GetValueOrDefault(history.FindingId);
            for (var i = done; i < history.Transitions.Count; i++)
            {
                operations.Events.Append(StreamKeys.Finding(history.FindingId), FindingTransitions.From(history.Transitions[i], i));
                var kind = history.Transitions[i].Kind;
                byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
                appended++;
            }
            _emitted[history.FindingId] = history.Transitions.Count;
        }
        if (appended > 0) _log.LogInformation("Findings: appended {Count} transitions through sequence {Sequence}", appended, page.SequenceCeiling);
        return appended > 0 && _metrics is not null ? new FindingsCounted(_metrics, byKind) : NullChangeListener.Instance;
    }

    private void Feed(object data)
    {
        switch (data)
        {
            case IngestWatermarkAdvanced w:
                if (_watermark is null || w.At > _watermark) _watermark = w.At;
                break;
            case FindingFeedback:
                // An SRE's verdict applies when it is given, not when the data's minute closes.
                _engine!.Add(data);
                break;
            default:
                if (!IsClosed(data)) { _held.Add(data); break; }
                if (_evaluatedThrough is { } through && CorrelationEngine.KnownAt(data) is { } known && TimeBuckets.Minute(known) < through)
                    (_late, _lateBy) = (_late + 1, TimeSpan.FromTicks(Math.Max(_lateBy.Ticks, (through - known).Ticks)));
                _engine!.Add(data);
                break;
        }
    }

    private void Release()
    {
        if (_held.Count == 0 || _watermark is null) return;
        var open = new List<object>();
        foreach (var fact in _held)
            if (IsClosed(fact)) _engine!.Add(fact); else open.Add(fact);
        _held = open;
    }

    private bool IsClosed(object fact) =>
        _watermark is { } w && CorrelationEngine.KnownAt(fact) is { } known && TimeBuckets.Minute(known) < w;


    private async Task RestoreAsync(IQuerySession session, long floor, CancellationToken ct)
    {
        _engine = new CorrelationEngine(_settings);
        _emitted = new Dictionary<string, int>(StringComparer.Ordinal);
        _held = [];
        _watermark = null;
        _evaluatedThrough = null;
        var facts = session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence <= floor && e.EventTypesAre(FactTypes))
            .OrderBy(e => e.Sequence)
            .ToAsyncEnumerable(ct);
        var count = 0;
        await foreach (var e in facts) { Feed(e.Data); count++; }
        Release();

        var transitions = session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence <= floor && e.EventTypesAre(FindingTransitions.Types))
            .ToAsyncEnumerable(ct);
        await foreach (var e in transitions)
        {
            var t = (IFindingTransition)e.Data;
            _emitted[t.Finding.FindingId] = Math.Max(_emitted.GetValueOrDefault(t.Finding.FindingId), t.Transition + 1);
        }
        _processedThrough = floor;
        if (count > 0) _log.LogInformation("Findings: restored {Facts} facts and {Findings} findings up to sequence {Floor}", count, _emitted.Count, floor);
    }
}
