using System.Diagnostics;
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
/// <para>
/// The engine evaluates after each event that gives it facts (a watermark that closes minutes, a feedback, a fact
/// known in a minute already closed), never at a page's end: pages split the store where the daemon happens to, so
/// evaluating there would make the findings depend on paging, and a replay of the same events could differ.
/// </para>
/// <para>
/// Restart (see docs/architecture.md, "Checkpoints"): every <see cref="FindingsOptions.CheckpointEvery"/> of event time
/// the state is written as a checkpoint with the page's transitions. On start (or when a page's floor is below what it
/// processed) it loads the newest checkpoint at or below the floor and replays only the facts after it; a checkpoint it
/// cannot read (corrupt, another format or settings) is logged and ignored: it replays from the beginning.
/// </para>
/// </summary>
public sealed class FindingsSubscription : SubscriptionBase
{
    public static readonly Type[] FactTypes =
[.. InputEvents.Types, typeof(FindingFeedback), typeof(IngestWatermarkAdvanced)];

    private readonly CorrelationSettings _settings;
    private readonly FindingsOptions _options;
    private readonly ILogger<FindingsSubscription> _log;
    private readonly Telemetry.CorrelatorMetrics? _metrics;
    private readonly string _format;
    private FindingsState? _state;
    private long _processedThrough;
    private Stopwatch? _sinceCheckpoint;

    public FindingsSubscription(CorrelationSettings settings, ILogger<FindingsSubscription> log, Telemetry.CorrelatorMetrics? metrics = null,
        FindingsOptions? options = null)
    {
        _settings = settings;
        _options = options ?? new FindingsOptions();
        _log = log;
        _metrics = metrics;
        _format = FindingsCheckpoints.Format(settings, _options.Windowed);
        Name = "Findings";
        foreach (var t in FactTypes) IncludeType(t);
        Options.BatchSize = 2000;
    }

    /// <summary>What the last restore did (for tests and the benchmark).</summary>
    public RestoreReport? LastRestore { get; private set; }

    public sealed record RestoreReport(long Floor, long? CheckpointSequence, long FactsReplayed, double Seconds, string? Ignored);

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        if (_state is null || page.SequenceFloor < _processedThrough)
            await RestoreAsync(operations, page.SequenceFloor, cancellationToken);
        var state = _state!;

        var late = state.Engine.LateFacts;
        foreach (var e in page.Events) Consume(state, e.Data);
        _processedThrough = page.SequenceCeiling;
        if (state.Engine.LateFacts > late)
            _log.LogWarning("Findings: {Count} facts arrived after their minute was evaluated; they count from the next minute evaluated",
                state.Engine.LateFacts - late);

        var appended = 0;
        var byKind = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var history in state.Engine.Evaluate(closeOpenTick: true))
        {
            var done = state.Emitted.GetValueOrDefault(history.FindingId);
            for (var i = done; i < history.Transitions.Count; i++)
            {
                operations.Events.Append(StreamKeys.Finding(history.FindingId), FindingTransitions.From(history.Transitions[i], i));
                var kind = history.Transitions[i].Kind;
                byKind[kind] = byKind.GetValueOrDefault(kind) + 1;
                appended++;
            }
            if (history.Transitions.Count > done) state.Emitted[history.FindingId] = history.Transitions.Count;
        }
        if (appended > 0) _log.LogInformation("Findings: appended {Count} transitions through sequence {Sequence}", appended, page.SequenceCeiling);
        Checkpoint(state, operations, page.SequenceCeiling);
        return appended > 0 && _metrics is not null ? new FindingsCounted(_metrics, byKind) : NullChangeListener.Instance;
    }

    private void Checkpoint(FindingsState state, IDocumentOperations operations, long sequence)
    {
        if (_options.CheckpointEvery <= TimeSpan.Zero || state.Watermark is not { } w) return;
        if (state.CheckpointedAt is { } last && w - last < _options.CheckpointEvery) return;
        if (_sinceCheckpoint is { } wall && wall.Elapsed < _options.CheckpointMinInterval) return;
        var previous = state.CheckpointedAt;
        state.CheckpointedAt = w;
        var clock = Stopwatch.StartNew();
        byte[] bytes;
        try { bytes = StateSnapshot.Write(state); }
        catch (InvalidDataException e)
        {
            // A type the snapshot cannot copy is a defect, not a reason to stop correlating.
            state.CheckpointedAt = previous;
            _log.LogError("Findings: no checkpoint at sequence {Sequence}: {Reason}", sequence, e.Message);
            return;
        }
        _sinceCheckpoint = Stopwatch.StartNew();
        FindingsCheckpoints.Queue(operations, sequence, w.ToUniversalTime(), _format, bytes, Math.Max(1, _options.CheckpointsKept));
        _log.LogInformation("Findings: checkpoint at sequence {Sequence} (watermark {Watermark:u}): {Bytes:N0} bytes in {Ms:N0} ms",
            sequence, w, bytes.Length, clock.Elapsed.TotalMilliseconds);
    }

    private void Consume(FindingsState state, object data)
    {
        var engine = state.Engine;
        switch (data)
        {
            case IngestWatermarkAdvanced w:
                if (state.Watermark is not null && w.At <= state.Watermark) return;
                state.Watermark = w.At;
                if (Release(state)) engine.Advance();
                break;
            case FindingFeedback f:
                // An SRE's verdict applies when it is given, not when the data's minute closes; but not at a knowledge
                // time past the watermark (a wall-clock verdict on a replayed night): that would close minutes still open.
                if (state.Watermark is { } wm && CorrelationEngine.KnownAt(f) > wm) f = f with { ObservedAt = wm };
                if (engine.Add(f)) engine.Advance();
                break;
            default:
                if (!IsClosed(state, data)) state.Held.Add(data);
                else if (engine.Add(data)) engine.Advance();
                break;
        }
    }

    private static bool Release(FindingsState state)
    {
        if (state.Held.Count == 0 || state.Watermark is null) return false;
        var open = new List<object>();
        var released = false;
        foreach (var fact in state.Held)
            if (IsClosed(state, fact)) released |= state.Engine.Add(fact); else open.Add(fact);
        state.Held = open;
        return released;
    }

    private static bool IsClosed(FindingsState state, object fact) =>
        state.Watermark is { } w && CorrelationEngine.KnownAt(fact) is { } known && TimeBuckets.Minute(known) < w;

    private FindingsState NewState() => new(new CorrelationEngine(_settings) { Windowed = _options.Windowed });

    private async Task RestoreAsync(IQuerySession session, long floor, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        FindingsState? state = null;
        long from = 0;
        string? ignored = null;
        var checkpoint = _options.CheckpointEvery > TimeSpan.Zero ? await FindingsCheckpoints.NewestAsync(session, floor, ct) : null;
        if (checkpoint is not null)
        {
            try
            {
                if (checkpoint.Format != _format) throw new InvalidDataException($"format {checkpoint.Format}, this build writes {_format}");
                state = StateSnapshot.Read<FindingsState>(checkpoint.State);
                from = checkpoint.Sequence;
            }
            catch (InvalidDataException e)
            {
                ignored = e.Message;
                _log.LogWarning("Findings: checkpoint at sequence {Sequence} ignored ({Reason}); replaying from the beginning", checkpoint.Sequence, e.Message);
            }
        }
        state ??= NewState();

        var facts = session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > from && e.Sequence <= floor && e.EventTypesAre(FactTypes))
            .OrderBy(e => e.Sequence)
            .ToAsyncEnumerable(ct);
        long count = 0;
        await foreach (var e in facts) { Consume(state, e.Data); count++; }

        // What is stored wins: the transitions appended with the checkpoint's page and after it (a page's transitions
        // come after its ceiling).
        var transitions = session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > from && e.EventTypesAre(FindingTransitions.Types))
            .ToAsyncEnumerable(ct);
        await foreach (var e in transitions)
        {
            var t = (IFindingTransition)e.Data;
            state.Emitted[t.Finding.FindingId] = Math.Max(state.Emitted.GetValueOrDefault(t.Finding.FindingId), t.Transition + 1);
        }
        _state = state;
        _processedThrough = floor;
        LastRestore = new RestoreReport(floor, ignored is null && checkpoint is not null ? checkpoint.Sequence : null, count,
            clock.Elapsed.TotalSeconds, ignored);
        if (count > 0 || checkpoint is not null)
            _log.LogInformation("Findings: restored {Source} and {Facts} facts after it, {Findings} findings, up to sequence {Floor} in {Seconds:N1} s",
                LastRestore.CheckpointSequence is { } s ? $"the checkpoint at sequence {s}" : "nothing", count, state.Emitted.Count, floor, LastRestore.Seconds);
    }
}
