using Correlator.Correlation;
using Correlator.Findings;
using Correlator.Ingestion;
using JasperFx;
using Marten;
using Marten.Events;
using Weasel.Core;

namespace Correlator.Replay;

/// <summary>
/// Re-evaluates stored history with other correlation settings, apart from the live findings: the facts known in
/// [from, to] plus the context a finding in that window can depend on (releases, installations and failures up to
/// <see cref="CorrelationSettings.Lookback"/> + <see cref="CorrelationSettings.BaselineWindow"/> before <c>from</c>) are
/// streamed from the event store into the pure <see cref="CorrelationEngine"/>. Only facts the live service had closed
/// (before the ingestion watermark's minute) are used, as live. The result goes to the isolated replay schema; nothing
/// is appended to the live store. Findings compared are those detected in [from, to], each as it stood at <c>to</c>.
/// </summary>
public static class HistoryReplay
{
    private static readonly Type[] Facts = FindingsSubscription.FactTypes.Where(t => t != typeof(IngestWatermarkAdvanced)).ToArray();

    /// <summary>The schema replays are written to: the live schema's name with <c>_replay</c>.</summary>
    public static string SchemaFor(string liveSchema) => liveSchema + "_replay";

    /// <summary>A store on the replay schema (same database, separate schema and tables).</summary>
    public static DocumentStore OpenStore(string connectionString, string liveSchema) => DocumentStore.For(opts =>
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = SchemaFor(liveSchema);
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.RegisterDocumentType<ReplayRun>();
    });

    public static async Task<ReplayRun> RunAsync(IDocumentStore live, IDocumentStore replays, CorrelationSettings settings,
        DateTimeOffset from, DateTimeOffset to, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        if (to < from) throw new ArgumentException($"--to ({to:O}) is before --from ({from:O})");
        var run = new ReplayRun { From = from, To = to, Settings = settings, RanAt = DateTimeOffset.UtcNow };
        var contextFrom = from - settings.Lookback - settings.BaselineWindow;
        var engine = new CorrelationEngine(settings);

        await using (var session = live.QuerySession())
        {
            run.Watermark = (await session.Events.QueryRawEventDataOnly<IngestWatermarkAdvanced>()
                .OrderByDescending(w => w.At).FirstOrDefaultAsync(ct))?.At;
            var facts = session.Events.QueryAllRawEvents()
                .Where(e => e.EventTypesAre(Facts))
                .OrderBy(e => e.Sequence)
                .ToAsyncEnumerable(ct);
            await foreach (var e in facts)
            {
                if (++run.FactsRead % 10_000 == 0) progress?.Report(run.FactsRead);
                if (CorrelationEngine.KnownAt(e.Data) is not { } known || known < contextFrom || known > to) continue;
                if (run.Watermark is { } w && TimeBuckets.Minute(known) >= w) continue;
                if (engine.Add(e.Data)) run.FactsUsed++;
            }
            progress?.Report(run.FactsRead);

            run.Findings = engine.Evaluate(closeOpenTick: true).ToList();
            var replayed = run.Findings.Select(h => h.Transitions.Last(t => t.At <= to).Finding)
                .Where(f => f.DetectedAt >= from).ToList();
            var liveFindings = (await FindingsAsOf.QueryAsync(session, to, ct)).Where(f => f.DetectedAt >= from).ToList();
            var rows = FindingDiff.Compare(liveFindings, replayed);
            run.Differences = rows.Where(r => r.Changes.Count > 0).ToList();
            run.Unchanged = rows.Count - run.Differences.Count;
        }

        await using var write = replays.LightweightSession();
        // Numbered 1, 2, 3… in the replay schema, so "replay 7" names one run for good.
        run.Id = await write.Query<ReplayRun>().OrderByDescending(r => r.Id).Select(r => r.Id).FirstOrDefaultAsync(ct) + 1;
        write.Store(run);
        await write.SaveChangesAsync(ct);
        return run;
    }

}
