using Correlator.Findings;
using Correlator.Replay;
using Correlator.Tests.Support;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Replay;

[Collection(IntegrationCollection.Name)]
public class RebuildTests : IAsyncLifetime
{
    private ReplayFixture live = null!;

    public async Task InitializeAsync() => live = await ReplayFixture.Instance;
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rebuild_restores_every_projection_and_leaves_the_findings_subscription_alone()
    {
        await using var offline = live.Offline();
        var store = offline.Store;
        var projections = ProjectionRebuild.ProjectionNames(store);
        Assert.Contains("FindingView", projections);
        Assert.DoesNotContain("Findings", projections); // the subscription that raises findings is never rebuilt
        var findingsProgress = await SubscriptionProgressAsync(store);
        var events = await ReplayFixture.CountEventsAsync(store);
        await WipeViewsAsync(store);

        var reports = new List<RebuildProgress>();
        var report = await new ProjectionRebuild(store, NullLogger.Instance).RunAsync(restart: false, CliProgress(reports));

        Assert.Equal(projections, report.Rebuilt);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(store));
        Assert.Equal(events, await ReplayFixture.CountEventsAsync(store));
        Assert.Equal(findingsProgress, await SubscriptionProgressAsync(store));
        Assert.Contains(reports, r => r is { Projection: "FindingView", State: RebuildProgress.Phase.Finished } && r.Done == report.HighWater);
        // Every projection's progress ends at the high-water mark, so the service's daemon continues from there rather
        // than applying events again (Marten's daemon sometimes logs an ObjectDisposedException for a progress update it
        // queued as a rebuild closed; the final progress must not be the one lost).
        var progress = await store.Advanced.AllProjectionProgress();
        foreach (var projection in projections)
            Assert.Equal(report.HighWater, Assert.Single(progress, s => s.ShardName.StartsWith(projection + ":", StringComparison.Ordinal)).Sequence);

        // Longest first, by the planner's estimate of each projection's events, and the lanes take them in that order.
        Assert.Equal(projections.Order(StringComparer.Ordinal), report.Order.Order(StringComparer.Ordinal));
        var exact = await EventsByTypeAsync(store);
        var sizes = report.Order.Select(p => RebuildOrder.EventTypes(store, p)).Select(types => types.Count == 0 ? exact.Values.Sum() : types.Distinct().Sum(t => exact.GetValueOrDefault(t))).ToList();
        Assert.True(sizes.SequenceEqual(sizes.OrderDescending()), $"not longest first: {string.Join(", ", report.Order.Zip(sizes, (p, n) => $"{p} {n}"))}");
        Assert.True(sizes[0] > sizes[^1]);
        var started = reports.Where(r => r.State == RebuildProgress.Phase.Started).Select(r => r.Projection).ToList();
        Assert.Equal(report.Order.Take(2).Order(StringComparer.Ordinal), started.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal(report.Order.Skip(2), started.Skip(2));
    }

    [Fact]
    public async Task The_estimated_events_per_type_are_the_store_s_counts()
    {
        await using var offline = live.Offline();
        var store = offline.Store;
        await SqlAsync(store, $"analyze {store.Options.Events.DatabaseSchemaName}.mt_events");
        var estimated = await RebuildOrder.EstimatedEventsByTypeAsync(store, CancellationToken.None);
        var exact = await EventsByTypeAsync(store);
        // Every type with a share worth ordering by is estimated, and every estimate is close; a type that occurs once or
        // twice may be left out of the most common values, and counts as none.
        var total = exact.Values.Sum();
        foreach (var (type, count) in exact.Where(t => t.Value >= total / 100)) Assert.True(estimated.ContainsKey(type), $"{type} ({count} of {total}) has no estimate");
        foreach (var (type, estimate) in estimated) Assert.InRange(estimate, exact[type] * 0.9, exact[type] * 1.1);
        Assert.True(estimated.Values.Sum() >= total * 0.95);
    }

    [Fact]
    public void A_projection_counts_as_rebuilt_only_when_its_stored_progress_reached_the_high_water_mark()
    {
        ShardState[] progress = [new("FindingView:All", 120), new("SignatureDay:All", 119), new("Findings:All", 5)];
        Assert.Null(ProjectionRebuild.Shortfall(progress, "FindingView", 120));
        Assert.Null(ProjectionRebuild.Shortfall(progress, "FindingView", 100));
        Assert.Equal("SignatureDay was rebuilt, but its stored progress is at sequence 119 of 120; run rebuild again", ProjectionRebuild.Shortfall(progress, "SignatureDay", 120));
        Assert.Equal("UpdateImpact was rebuilt, but it has no stored progress; run rebuild again", ProjectionRebuild.Shortfall(progress, "UpdateImpact", 120));
        Assert.NotNull(ProjectionRebuild.Shortfall(progress, "Finding", 1));
        Assert.Null(ProjectionRebuild.Shortfall(progress, "UpdateImpact", 0));
    }

    [Fact]
    public void Longest_first_counts_each_projection_s_types_once_and_breaks_ties_by_name()
    {
        var events = new Dictionary<string, double> { ["crash"] = 10, ["install"] = 30, ["finding"] = 2 };
        var order = RebuildOrder.LongestFirst(new Dictionary<string, IReadOnlyList<string>>
        {
            ["Findings"] = ["finding", "unknown"],
            ["Crashes"] = ["crash", "crash"],
            ["Everything"] = [],
            ["Installs"] = ["install"],
            ["Installs2"] = ["install", "rare"],
            ["Nothing"] = ["rare"],
        }, events);
        Assert.Equal(["Everything", "Installs", "Installs2", "Crashes", "Findings", "Nothing"], order);
    }

    [Fact]
    public async Task An_interrupted_rebuild_resumes_with_the_projections_it_did_not_finish()
    {
        await using var offline = live.Offline();
        var store = offline.Store;
        await WipeViewsAsync(store);

        using var interrupt = new CancellationTokenSource();
        var progress = CliProgress([], p => { if (p.State == RebuildProgress.Phase.Started) interrupt.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ProjectionRebuild(store, NullLogger.Instance).RunAsync(false, progress, interrupt.Token));
        await using (var session = store.QuerySession())
        {
            var journal = await session.LoadAsync<RebuildJournal>(RebuildJournal.CurrentId);
            Assert.NotNull(journal);
            Assert.Null(journal.CompletedAt);
            Assert.Empty(journal.Finished);
        }

        var resumed = await new ProjectionRebuild(store, NullLogger.Instance).RunAsync(false);
        Assert.True(resumed.Resumed);
        Assert.Equal(ProjectionRebuild.ProjectionNames(store), resumed.Rebuilt);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(store));

        // A finished run is not resumed: the next one starts over and rebuilds everything again.
        await WipeViewsAsync(store);
        var next = await new ProjectionRebuild(store, NullLogger.Instance).RunAsync(false);
        Assert.False(next.Resumed);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(store));
    }

    [Fact]
    public async Task The_sparse_projections_rebuild_pages_read_through_their_partial_index_which_the_migration_keeps()
    {
        string schema;
        await using (var before = live.Offline())
        {
            schema = before.Store.Options.Events.DatabaseSchemaName;
            await SqlAsync(before.Store, $"drop index if exists {schema}.{SparseEventsIndex.Name}");
        }

        // The store's migration (as at every start) creates it, over exactly the types Marten's loader asks for on these
        // projections' pages, its own markers included. Created afresh, its scan count starts at 0.
        await using var offline = live.Offline();
        var store = offline.Store;
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var definition = (string?)await SqlAsync(store, IndexDefinition(schema));
        Assert.NotNull(definition);
        var oid = await SqlAsync(store, $"select '{schema}.{SparseEventsIndex.Name}'::regclass::oid");
        string[] expected = ["Compacted<FindingView>", "archived", "finding_confirmed", "finding_dismissed", "finding_feedback", "finding_raised",
            "finding_resolved", "finding_updated", "message_rejected"];
        Assert.Equal(expected, new SparseEventsIndex((StoreOptions)store.Options).TypeNames());
        foreach (var type in expected) Assert.Contains($"'{type}'", definition);

        // The daemon's FindingView pages (EventPageLoader's, the same predicate as Marten's) read through it. Closing the idle connections makes their backends report their
        // statistics now rather than within seconds.
        using (var daemon = await store.BuildProjectionDaemonAsync(logger: NullLogger.Instance))
            await daemon.RebuildProjectionAsync("FindingView", TimeSpan.FromMinutes(2), CancellationToken.None);
        Npgsql.NpgsqlConnection.ClearAllPools();
        var scans = 0L;
        for (var wait = System.Diagnostics.Stopwatch.StartNew(); scans == 0 && wait.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(200))
            scans = (long)(await SqlAsync(store, $"select idx_scan from pg_stat_user_indexes where indexrelid = {oid}"))!;
        Assert.True(scans > 0, "no FindingView page used the sparse types' index");
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(store));

        // The next start's migration finds it as configured and leaves that very index in place (Marten's event tables
        // would drop it as unknown; a changed type list would replace it).
        await using var again = live.Offline();
        await again.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        Assert.Equal(definition, await SqlAsync(again.Store, IndexDefinition(schema)));
        Assert.Equal(oid, await SqlAsync(again.Store, $"select '{schema}.{SparseEventsIndex.Name}'::regclass::oid"));
    }

    private static string IndexDefinition(string schema) =>
        $"select pg_get_indexdef(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '{schema}' and c.relname = '{SparseEventsIndex.Name}'";

    private static async Task<object?> SqlAsync(IDocumentStore store, string sql)
    {
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task<Dictionary<string, double>> EventsByTypeAsync(IDocumentStore store) =>
        (await RebuildBenchmark.CountTypesAsync(store, CancellationToken.None)).ToDictionary(t => t.Key, t => (double)t.Value, StringComparer.Ordinal);

    private static IProgress<RebuildProgress> CliProgress(List<RebuildProgress> into, Action<RebuildProgress>? also = null) =>
        CliConsole.Report<RebuildProgress>(p => { lock (into) into.Add(p); also?.Invoke(p); });

    private static async Task WipeViewsAsync(IDocumentStore store)
    {
        await using var session = store.LightweightSession();
        session.DeleteWhere<FindingView>(_ => true);
        await session.SaveChangesAsync();
        Assert.Empty(await FindingSnapshot.ReadAsync(store));
    }

    private static async Task<long> SubscriptionProgressAsync(IDocumentStore store)
    {
        var all = await store.Advanced.AllProjectionProgress();
        return Assert.Single(all, s => s.ShardName.StartsWith("Findings:", StringComparison.Ordinal)).Sequence;
    }
}
