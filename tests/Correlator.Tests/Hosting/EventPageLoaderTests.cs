using System.Diagnostics;
using System.Text.Json;
using Correlator.Hosting;
using Correlator.Ingestion.Events;
using Correlator.Replay;
using Correlator.Tests.Replay;
using Correlator.Tests.Support;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Correlator.Tests.Hosting;

[Collection(IntegrationCollection.Name)]
public class EventPageLoaderTests
{
    private static IEventStore<IDocumentOperations, IQuerySession> Events(IDocumentStore store) =>
        (IEventStore<IDocumentOperations, IQuerySession>)Assert.IsType<CorrelatorDocumentStore>(store);

    [Fact]
    public async Task The_service_s_store_is_this_one_and_logs_as_Marten_s_own_registration_sets_it_up()
    {
        var live = await ReplayFixture.Instance;
        await using var offline = live.Offline();
        var store = Assert.IsType<CorrelatorDocumentStore>(offline.Store);
        // Set by name in CorrelatorDocumentStore.Register, as Marten's AddMarten does (the type is internal to Marten).
        Assert.Equal("DefaultMartenLogger", ((Marten.StoreOptions)store.Options).Logger().GetType().Name);
    }

    [Fact]
    public async Task Every_async_shard_reads_the_pages_Marten_s_loader_reads_without_joining_the_streams()
    {
        var live = await ReplayFixture.Instance;
        await using var offline = live.Offline();
        var store = (CorrelatorDocumentStore)offline.Store;
        var database = (IEventDatabase)store.Storage.Database;
        var highWater = await ProjectionRebuild.LastEventAsync(store, default);
        var shards = Events(store).AllShards();
        Assert.Contains(shards, s => s.Name.Name == "FindingView");
        Assert.Contains(shards, s => s.Name.Name == "Findings"); // the subscription that raises findings reads through it too

        foreach (var shard in shards)
        {
            // Small pages, so that every shard spans many and its last page is a short one.
            var options = new AsyncOptions { BatchSize = 5 };
            var ours = Assert.IsType<EventPageLoader>(Events(store).BuildEventLoader(database, NullLogger.Instance, shard.Filters, options, shard.Name));
            Assert.DoesNotContain("mt_streams", ours.Sql);
            var marten = store.MartenEventLoader(database, NullLogger.Instance, shard.Filters, options, shard.Name);

            var metrics = new SubscriptionMetrics(store, shard.Name, database);
            var spans = 0;
            using (var listener = new ActivityListener
                   {
                       ShouldListenTo = source => source == ((IEventStore)store).ActivitySource,
                       Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
                       ActivityStarted = a => { if (a.OperationName == metrics.LoadingSpanName) spans++; },
                   })
            {
                ActivitySource.AddActivityListener(listener);
                var (ourPages, ourEvents) = await ReadAllAsync(ours, shard.Name, metrics, highWater);
                var (martenPages, martenEvents) = await ReadAllAsync(marten, shard.Name, metrics, highWater);
                Assert.True(martenEvents.Count > 5, $"{shard.Name.Identity} read only {martenEvents.Count} events");
                Assert.Equal(martenPages, ourPages);
                Assert.Equal(martenEvents, ourEvents);
                Assert.Equal(2 * ourPages.Count, spans); // the daemon's loading span, one per page from each
            }
        }
    }

    [Fact]
    public async Task A_page_it_cannot_read_is_Marten_s_loader_s_to_load_and_the_next_is_its_own_again()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var offline = OfflineStore.Open(scope.Configuration());
        var store = (CorrelatorDocumentStore)offline.Store;
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var at = new DateTimeOffset(2024, 7, 19, 4, 10, 0, TimeSpan.Zero);
        await using (var session = store.LightweightSession())
        {
            for (var i = 0; i < 6; i++) session.Events.Append($"host/h{i}", new UpdateInstalled($"i{i}", "C-00000291", $"h{i}", at.AddSeconds(i)));
            await session.SaveChangesAsync();
        }
        // The third installation's body is no longer JSON.
        await using (var connection = new NpgsqlConnection(offline.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"update {scope.Schema}.mt_events set bdata = '\\x00ff'::bytea where stream_id = 'host/h2'", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var shard = Events(store).AllShards().Single(s => s.Name.Name == "UpdateImpact");
        var options = new AsyncOptions { BatchSize = 2 };
        var database = (IEventDatabase)store.Storage.Database;
        var marten = new CountingLoader(store.MartenEventLoader(database, NullLogger.Instance, shard.Filters, options, shard.Name));
        var loader = EventPageLoader.For(store, database, shard.Filters, options, shard.Name, marten, NullLogger.Instance);

        var metrics = new SubscriptionMetrics(store, shard.Name, database);
        EventRequest Request(long floor) =>
            new() { Floor = floor, HighWater = 6, BatchSize = 2, Name = shard.Name, ErrorOptions = new ErrorHandlingOptions(), Metrics = metrics };

        var first = await loader.LoadAsync(Request(0), default);
        Assert.Equal(["i0", "i1"], first.Select(e => ((UpdateInstalled)e.Data).Id));
        Assert.Equal(0, marten.Calls);

        // Marten's loader gets the unreadable page, and does with it what the shard's error options say: here, fail.
        await Assert.ThrowsAnyAsync<Exception>(() => loader.LoadAsync(Request(first.Ceiling), default));
        Assert.Equal(1, marten.Calls);

        var third = await loader.LoadAsync(Request(first.Ceiling + 2), default);
        Assert.Equal(["i4", "i5"], third.Select(e => ((UpdateInstalled)e.Data).Id));
        Assert.Equal(1, marten.Calls);
    }

    private static async Task<(List<string> Pages, List<string> Events)> ReadAllAsync(IEventLoader loader, ShardName name, ISubscriptionMetrics metrics, long highWater)
    {
        var pages = new List<string>();
        var events = new List<string>();
        var floor = 0L;
        while (floor < highWater)
        {
            var page = await loader.LoadAsync(new EventRequest { Floor = floor, HighWater = highWater, BatchSize = 5, Name = name, ErrorOptions = new ErrorHandlingOptions(), Metrics = metrics }, default);
            pages.Add($"{page.Floor}..{page.Ceiling} ({page.Count})");
            events.AddRange(page.Select(Describe));
            Assert.True(page.Ceiling > floor, $"{name.Identity}: page at {floor} did not advance");
            floor = page.Ceiling;
        }
        return (pages, events);
    }

    // Everything a projection can see of an event.
    private static string Describe(IEvent e) => string.Join(" | ", e.Sequence, e.Id, e.StreamKey, e.StreamId, e.Version, e.EventTypeName,
        e.DotNetTypeName, e.Timestamp.ToString("O"), e.TenantId, e.AggregateTypeName, e.IsArchived, e.CausationId, e.CorrelationId,
        e.Headers is null ? "" : JsonSerializer.Serialize(e.Headers), JsonSerializer.Serialize(e.Data, e.EventType));

    private sealed class CountingLoader(IEventLoader inner) : IEventLoader
    {
        public int Calls;

        public Task<EventPage> LoadAsync(EventRequest request, CancellationToken token)
        {
            Interlocked.Increment(ref Calls);
            return inner.LoadAsync(request, token);
        }
    }
}
