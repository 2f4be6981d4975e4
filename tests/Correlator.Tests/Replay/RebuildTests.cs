using Correlator.Findings;
using Correlator.Replay;
using Correlator.Tests.Support;
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
        Assert.Equal(["FindingView"], ProjectionRebuild.ProjectionNames(store));
        var findingsProgress = await SubscriptionProgressAsync(store);
        var events = await ReplayFixture.CountEventsAsync(store);
        await WipeViewsAsync(store);

        var reports = new List<RebuildProgress>();
        var report = await new ProjectionRebuild(store, NullLogger.Instance).RunAsync(restart: false, CliProgress(reports));

        Assert.Equal(["FindingView"], report.Rebuilt);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(store));
        Assert.Equal(events, await ReplayFixture.CountEventsAsync(store));
        Assert.Equal(findingsProgress, await SubscriptionProgressAsync(store));
        Assert.Contains(reports, r => r is { Projection: "FindingView", State: RebuildProgress.Phase.Finished } && r.Done == report.HighWater);
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
        Assert.Equal(["FindingView"], resumed.Rebuilt);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(store));

        // A finished run is not resumed: the next one starts over and rebuilds everything again.
        await WipeViewsAsync(store);
        var next = await new ProjectionRebuild(store, NullLogger.Instance).RunAsync(false);
        Assert.False(next.Resumed);
        Assert.Equal(live.Findings, await FindingSnapshot.ReadAsync(store));
    }

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
