using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging;

namespace Correlator.Replay;

/// <summary>
/// Rebuilds every projection (async and inline read models) from the event store with Marten's own daemon rebuild:
/// wipe the projection's documents and progress, replay all events up to the high-water mark. Subscriptions are not
/// projections and are left alone: the <c>Findings</c> subscription is neither rewound nor re-run, so a rebuild
/// appends no finding transitions and publishes nothing.
/// <para>
/// Interrupt and resume: the unit of work is one projection. <see cref="RebuildJournal"/> records each projection as it
/// finishes; a later run (without <c>restart</c>) skips those and rebuilds the unfinished ones from the start, since
/// Marten's rebuild always begins with a teardown. A projection interrupted half-way is consistent anyway (its documents
/// and its progress row commit together), just not finished; the service's daemon would continue it from there.
/// </para>
/// Run it with the service stopped: a second daemon on the same projections fights over their progress rows.
/// </summary>
public sealed class ProjectionRebuild(IDocumentStore store, ILogger log)
{
    /// <param name="Order">Every projection, in the order the rebuild takes them (<see cref="RebuildOrder"/>).</param>
    public sealed record Report(IReadOnlyList<string> Rebuilt, IReadOnlyList<string> Skipped, long HighWater, bool Resumed, TimeSpan Elapsed,
        IReadOnlyDictionary<string, TimeSpan> Durations, IReadOnlyList<string> Order);

    /// <summary>Every projection the store runs (async or inline), by name; never subscriptions.</summary>
    public static IReadOnlyList<string> ProjectionNames(IDocumentStore store) =>
        ((StoreOptions)store.Options).Projections.All
            .Where(p => p.Lifecycle != ProjectionLifecycle.Live)
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// How many projections are rebuilt at once: one per two cores, and at least two. One alone leaves a core half idle:
    /// its daemon reads a page, then waits on PostgreSQL for the next (2 cores, 1M events, alternating runs: two at once
    /// took 10.2–12.1 s, one after the other 11.6–16.5 s, four at once 12.6–13.2 s).
    /// </summary>
    public int Parallelism { get; init; } = Math.Max(2, Environment.ProcessorCount / 2);

    public async Task<Report> RunAsync(bool restart, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var names = ProjectionNames(store);
        var highWater = await LastEventAsync(store, ct);

        await using var session = store.LightweightSession();
        var journal = await session.LoadAsync<RebuildJournal>(RebuildJournal.CurrentId, ct);
        var resumed = journal is { CompletedAt: null } && !restart;
        if (!resumed)
        {
            journal = new RebuildJournal { StartedAt = DateTimeOffset.UtcNow, HighWater = highWater };
            session.Store(journal);
            await session.SaveChangesAsync(ct);
        }
        else log.LogInformation("Resuming the rebuild started {Started:u}; finished already: {Finished}", journal!.StartedAt, string.Join(", ", journal.Finished));

        var rebuilt = new List<string>();
        var durations = new Dictionary<string, TimeSpan>();
        var skipped = names.Where(journal!.Finished.Contains).ToList();
        foreach (var name in skipped) progress?.Report(new RebuildProgress(name, highWater, highWater, RebuildProgress.Phase.Skipped));
        await AnalyzeEventsAsync(ct);
        var estimates = await RebuildOrder.EstimatedEventsByTypeAsync(store, ct);
        var order = RebuildOrder.LongestFirst(names.ToDictionary(n => n, n => RebuildOrder.EventTypes(store, n)), estimates);
        using var daemon = await store.BuildProjectionDaemonAsync(logger: log);
        // Projections are independent (own documents, own progress): with cores to spare they are rebuilt side by side,
        // longest first. The journal is written by one at a time.
        var journalLock = new SemaphoreSlim(1);
        await Parallel.ForEachAsync(order.Except(skipped), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (name, token) =>
        {
            progress?.Report(new RebuildProgress(name, 0, highWater, RebuildProgress.Phase.Started));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            using (daemon.Tracker.Subscribe(new ShardObserver(name, highWater, progress)))
                await daemon.RebuildProjectionAsync(name, TimeSpan.FromHours(12), token);
            if (Shortfall(await store.Advanced.AllProjectionProgress(token: token), name, highWater) is { } shortfall) throw new InvalidOperationException(shortfall);
            progress?.Report(new RebuildProgress(name, highWater, highWater, RebuildProgress.Phase.Finished));
            await journalLock.WaitAsync(token);
            try
            {
                durations[name] = clock.Elapsed;
                journal.Finished.Add(name);
                session.Store(journal);
                await session.SaveChangesAsync(token);
                rebuilt.Add(name);
            }
            finally { journalLock.Release(); }
            log.LogInformation("Rebuilt {Projection} through sequence {HighWater}", name, highWater);
        });
        rebuilt.Sort(StringComparer.Ordinal);

        journal!.CompletedAt = DateTimeOffset.UtcNow;
        session.Store(journal);
        await session.SaveChangesAsync(ct);
        return new Report(rebuilt, skipped, highWater, resumed, started.Elapsed, durations, order);
    }

    /// <summary>
    /// Why a projection whose rebuild returned does not count as rebuilt, or null: its stored progress must have reached
    /// the high-water mark, or the service's daemon would apply events to it a second time. Marten's daemon sometimes logs
    /// an <see cref="ObjectDisposedException"/> for a progress update it queued as a rebuild closed; this is the check
    /// that the one lost was not the last.
    /// </summary>
    public static string? Shortfall(IEnumerable<ShardState> progress, string projection, long highWater)
    {
        // An empty store: there is nothing a daemon could apply twice (Marten's rebuild stores no progress then).
        if (highWater <= 0) return null;
        var reached = progress.Where(s => s.ShardName.StartsWith(projection + ":", StringComparison.Ordinal)).Select(s => (long?)s.Sequence).Min();
        return reached >= highWater ? null
            : reached is null ? $"{projection} was rebuilt, but it has no stored progress; run rebuild again"
            : $"{projection} was rebuilt, but its stored progress is at sequence {reached:N0} of {highWater:N0}; run rebuild again";
    }

    /// <summary>
    /// The sequence of the last event stored: where every projection's rebuild ends. Not the sequence's own value
    /// (<c>FetchHighestEventSequenceNumber</c>), which runs ahead of the events after a bulk insert reserved a block of
    /// numbers or a transaction rolled back; and not <c>FetchEventStoreStatistics</c>, which counts every event and stream
    /// (0.3 s on 1M events). One look at the primary key's last entry.
    /// </summary>
    internal static async Task<long> LastEventAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand($"select coalesce(max(seq_id), 0) from {store.Options.Events.DatabaseSchemaName}.mt_events", conn);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Fresh planner statistics for the event tables before reading them all: after a bulk import (or before autovacuum
    /// got to a busy store) PostgreSQL guesses a page of events at two rows, sorts it on disk and runs ~5x slower.
    /// A smaller sample than the default is enough for the page queries' plans (row counts, the event types' shares):
    /// statistics target 30 samples 9,000 rows instead of 30,000 (~0.1 s instead of 0.4–0.9 s on 1M events). Not 10: with
    /// 3,000 rows the rare types' shares swing, and in 1 of 12 analyzes the finding page's estimate doubled and flipped it
    /// to a scan of half the table (1.3 s instead of 0.2–0.4 s); at 30, 24 of 24 kept the plan. Autovacuum refines it later.
    /// </summary>
    private async Task AnalyzeEventsAsync(CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand(
            $"set local default_statistics_target = 30; analyze {schema}.mt_events; analyze {schema}.mt_streams", conn, tx) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private sealed class ShardObserver(string projection, long total, IProgress<RebuildProgress>? progress) : IObserver<ShardState>
    {
        public void OnNext(ShardState value)
        {
            if (value.ShardName.StartsWith(projection + ":", StringComparison.Ordinal))
                progress?.Report(new RebuildProgress(projection, Math.Min(value.Sequence, total), total, RebuildProgress.Phase.Advanced));
        }

        public void OnCompleted() { }
        public void OnError(Exception error) { }
    }
}
