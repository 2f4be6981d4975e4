using Confluent.Kafka;
using Correlator.Correlation;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Correlator.Tests.Support;
using JasperFx.Events;
using Marten.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Ingestion;

/// <summary>
/// Issue 20: the group watermark as nodes store it, through the real ingest writer on PostgreSQL. In store order, no
/// input fact may come after a watermark that closed its minute: the findings subscription would count it late.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class GroupWatermarkTests
{
    private const string Topic = "crash-dumps";
    private const string Group = "group";
    private static readonly Dictionary<string, int> ThreePartitions = new() { [Topic] = 3 };
    private static readonly DateTimeOffset Night = DateTimeOffset.Parse("2024-07-19T04:00:00Z");

    [Fact]
    public async Task A_node_that_does_not_know_the_partition_counts_decides_no_watermark_while_a_partition_is_unread()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var app = CorrelatorHost.Build(scope.Configuration(), logLevel: LogLevel.Warning);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var writer = new IngestWriter(store, new SetBasedAppend(store));
        var wall = DateTime.UtcNow;

        // Node A read partitions 0 and 1 to their end, quiet for longer than the idle close. Partition 2's owner has
        // stored nothing yet (still starting, or killed before its first batch): no row for it.
        var a = new Watermark(TimeSpan.FromSeconds(2));
        var first = Batch(a, Fact("a1", 0, 0, 10), Fact("a2", 0, 1, 40), Fact("a3", 1, 0, 35));
        a.ReachedEnd(Tp(0), 2);
        a.ReachedEnd(Tp(1), 1);
        a.Clocks(wall.AddSeconds(-10)); // at their end since ten seconds ago
        first.Clock = Clock("A", a, wall, ThreePartitions);
        await writer.WriteAsync(first, DateTimeOffset.UtcNow, default);

        // A node that has just joined, assigned nothing: before the fix it decided without the partition counts, and
        // the rows it saw were all quiet, so it closed the minute after the newest record: 04:41.
        var joined = new Watermark(TimeSpan.FromSeconds(2));
        IReadOnlyCollection<PartitionClock>? seen = null;
        var lonely = new IngestBatch
        {
            Clock = new IngestBatch.GroupClock(Group, "J", joined.Clocks(wall), (group, _) =>
            {
                seen = group;
                return Task.FromResult(joined.Advance(group, partitions: null, wall, Ends(group)));
            }),
        };
        await writer.WriteAsync(lonely, DateTimeOffset.UtcNow, default);
        Assert.Equal(Night.AddMinutes(41), GlobalWatermark.Candidate(seen!, partitions: null, wall, joined.IdleClose, joined.Stale, Ends(seen!)));
        Assert.Null(lonely.Watermark); // …which it no longer stores
        var knowing = new IngestBatch { Clock = Clock("J", joined, wall, ThreePartitions) };
        await writer.WriteAsync(knowing, DateTimeOffset.UtcNow, default);
        Assert.Null(knowing.Watermark); // with the counts: partition 2 holds it back

        // Partition 2's owner stores its first batch, facts from 04:20 to 04:25: the group's watermark may move, to 04:25.
        var b = new Watermark(TimeSpan.FromSeconds(2));
        var third = Batch(b, Fact("b1", 2, 0, 20), Fact("b2", 2, 1, 25));
        third.Clock = Clock("B", b, wall, ThreePartitions);
        await writer.WriteAsync(third, DateTimeOffset.UtcNow, default);
        Assert.Equal(Night.AddMinutes(25), third.Watermark?.At);

        Assert.Empty(await FactsAfterTheirMinuteClosedAsync(store));
        var watermarks = await WatermarksAsync(store);
        Assert.Equal([Night.AddMinutes(25)], watermarks);
    }

    [Fact]
    public async Task A_fact_stored_after_a_watermark_that_closed_its_minute_is_found_by_the_check()
    {
        // The check the test above relies on, against what the old decision stored: a watermark for 04:41, then 04:20.
        var scope = (await TestServices.Instance).NewScope();
        await using var app = CorrelatorHost.Build(scope.Configuration(), logLevel: LogLevel.Warning);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var writer = new IngestWriter(store, new SetBasedAppend(store));
        var early = Batch(new Watermark(TimeSpan.Zero), Fact("a1", 0, 0, 40));
        early.Watermark = new IngestWatermarkAdvanced(Night.AddMinutes(41));
        await writer.WriteAsync(early, DateTimeOffset.UtcNow, default);
        await writer.WriteAsync(Batch(new Watermark(TimeSpan.Zero), Fact("b1", 2, 0, 20)), DateTimeOffset.UtcNow, default);
        Assert.Equal(["b1"], await FactsAfterTheirMinuteClosedAsync(store));
    }

    private static TopicPartition Tp(int p) => new(Topic, new Partition(p));

    private static IReadOnlyDictionary<(string Topic, int Partition), long> Ends(IEnumerable<PartitionClock> group) =>
        group.Where(c => c.Next is not null).ToDictionary(c => (c.Topic, c.Partition), c => c.Next!.Value); // the broker: nothing produced since

    private static IngestBatch.GroupClock Clock(string node, Watermark w, DateTime wall, IReadOnlyDictionary<string, int> counts) =>
        new(Group, node, w.Clocks(wall), (group, _) => Task.FromResult(w.Advance(group, counts, wall, Ends(group))));

    private static (int Partition, long Offset, string Id, int Minute) Fact(string id, int partition, long offset, int minute) => (partition, offset, id, minute);

    /// <summary>A batch of crash reports read by <paramref name="w"/>'s node, known at 04:00 + their minute.</summary>
    private static IngestBatch Batch(Watermark w, params (int Partition, long Offset, string Id, int Minute)[] facts)
    {
        var batch = new IngestBatch();
        foreach (var (partition, offset, id, minute) in facts)
        {
            var known = Night.AddMinutes(minute);
            var record = new ConsumeResult<string?, byte[]>
            {
                TopicPartitionOffset = new TopicPartitionOffset(Tp(partition), new Offset(offset)),
                Message = new Message<string?, byte[]> { Key = id, Value = [], Timestamp = new Timestamp(known.UtcDateTime, TimestampType.CreateTime) },
            };
            var crash = new CrashReported(id, "host-" + id, known, "windows", "kernel", BugcheckCode: "0x50") { ObservedAt = known };
            batch.Accepted.Add(new IngestBatch.Candidate(record, Topic, id, crash, null));
            w.Assigned([Tp(partition)]);
            w.Read(Tp(partition), known, offset);
        }
        return batch;
    }

    /// <summary>Input facts that come, in sequence order, after a watermark past their minute.</summary>
    private static async Task<List<string>> FactsAfterTheirMinuteClosedAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        DateTimeOffset? watermark = null;
        var late = new List<string>();
        foreach (var e in events)
        {
            if (e.Data is IngestWatermarkAdvanced w) watermark = watermark is { } m && m > w.At ? m : w.At;
            else if (e.Data is CrashReported c && watermark is { } m && TimeBuckets.Minute(CorrelationEngine.KnownAt(c)!.Value) < m) late.Add(c.Id);
        }
        return late;
    }

    private static async Task<List<DateTimeOffset>> WatermarksAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return (await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(typeof(IngestWatermarkAdvanced))).OrderBy(e => e.Sequence).ToListAsync())
            .Select(e => ((IngestWatermarkAdvanced)e.Data).At).ToList();
    }
}
