using Confluent.Kafka;
using Correlator.Ingestion;

namespace Correlator.Tests.Ingestion;

public class WatermarkTests
{
    private static readonly TopicPartition P0 = new("crash-dumps", 0), P1 = new("crash-dumps", 1);
    private static readonly DateTime Wall = new(2026, 12, 4, 7, 0, 0, DateTimeKind.Utc);
    private static DateTimeOffset T(string hhmm) => DateTimeOffset.Parse($"2024-07-19T{hhmm}:00Z");

    [Fact]
    public void The_slowest_busy_partition_holds_it_and_a_partition_at_its_end_does_not()
    {
        var w = new Watermark(TimeSpan.FromSeconds(2));
        w.Assigned([P0, P1]);
        w.Read(P0, T("04:30"));
        Assert.Null(w.Advance(Wall)); // P1 is busy and has said nothing yet
        w.Read(P1, T("04:12"));
        Assert.Equal(T("04:12"), w.Advance(Wall));
        w.ReachedEnd(P1);
        Assert.Equal(T("04:30"), w.Advance(Wall));
    }

    [Fact]
    public void When_every_partition_is_quiet_for_the_idle_timeout_the_newest_minute_closes()
    {
        var w = new Watermark(TimeSpan.FromSeconds(2));
        w.Assigned([P0, P1]);
        w.Read(P0, DateTimeOffset.Parse("2024-07-19T04:30:40Z"));
        w.ReachedEnd(P0);
        w.ReachedEnd(P1);
        Assert.Equal(T("04:30"), w.Advance(Wall));          // the minute of the newest record: still open
        Assert.Null(w.Advance(Wall.AddSeconds(1)));          // quiet, but not for long enough
        Assert.Equal(T("04:31"), w.Advance(Wall.AddSeconds(2))); // 04:30 closed, within seconds of the lull
        w.Read(P0, DateTimeOffset.Parse("2024-07-19T04:31:05Z"));
        Assert.Null(w.Advance(Wall.AddSeconds(3)));          // traffic again: never goes back, waits for 04:32
    }

    [Fact]
    public void A_knowledge_time_learned_after_the_partition_reached_its_end_does_not_make_it_busy_again()
    {
        var w = new Watermark(TimeSpan.FromSeconds(2));
        w.Assigned([P0]);
        w.Touched(P0);        // read…
        w.ReachedEnd(P0);     // …then the end, in the same batch…
        w.Observe(P0, T("04:10")); // …and the record's knowledge time once validated
        Assert.Equal(T("04:10"), w.Advance(Wall));
        Assert.Equal(T("04:11"), w.Advance(Wall.AddSeconds(2)));

        w.Revoked([P0]);
        w.Observe(P0, T("05:00")); // revoked meanwhile: another consumer's partition, not ours again
        Assert.Null(w.Advance(Wall.AddSeconds(5)));
    }

    [Fact]
    public void The_clocks_carry_the_offset_after_the_last_record_read_or_the_end_the_broker_reported()
    {
        var w = new Watermark(TimeSpan.FromSeconds(2));
        w.Assigned([P0, P1]);
        Assert.All(w.Clocks(Wall), c => Assert.Null(c.Next)); // nothing read: nothing vouched for
        w.Read(P0, T("04:10"), offset: 41);
        w.ReachedEnd(P1, endOffset: 0);
        var clocks = w.Clocks(Wall).ToDictionary(c => c.Partition);
        Assert.Equal(42, clocks[0].Next);
        Assert.Null(clocks[0].AtEndSince);
        Assert.Equal(0, clocks[1].Next);
        Assert.Equal(Wall, clocks[1].AtEndSince);
        w.ReachedEnd(P0, endOffset: 43); // a transaction marker after the record: the end is past it
        Assert.Equal(43, w.Clocks(Wall).Single(c => c.Partition == 0).Next);
    }
}

public class GlobalWatermarkTests
{
    private static readonly DateTime Now = new(2026, 12, 4, 7, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2), Stale = TimeSpan.FromSeconds(15);
    private static readonly Dictionary<string, int> TwoTopics = new() { ["crash-dumps"] = 2, ["service-status"] = 1 };
    private static DateTimeOffset T(string hhmm) => DateTimeOffset.Parse($"2024-07-19T{hhmm}:00Z");
    private static PartitionClock Busy(string topic, int p, string? hhmm) => new(topic, p, hhmm is null ? null : T(hhmm), null);
    private static PartitionClock Quiet(string topic, int p, string? hhmm, double secondsAgo) => new(topic, p, hhmm is null ? null : T(hhmm), Now.AddSeconds(-secondsAgo));

    [Fact]
    public void The_same_clocks_give_the_same_watermark_however_the_partitions_are_spread()
    {
        // Whichever node owns which partition, the group's stored clocks are the same rows: one answer.
        PartitionClock[] clocks = [Busy("crash-dumps", 0, "04:30"), Busy("crash-dumps", 1, "04:12"), Quiet("service-status", 0, "05:00", 1)];
        Assert.Equal(T("04:12"), GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale));
        Assert.Equal(T("04:12"), GlobalWatermark.Candidate(clocks.Reverse().ToList(), TwoTopics, Now, Idle, Stale));
    }

    [Fact]
    public void A_partition_no_node_has_reported_yet_holds_it_back()
    {
        PartitionClock[] clocks = [Busy("crash-dumps", 0, "04:30"), Quiet("service-status", 0, "05:00", 10)];
        Assert.Null(GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale)); // crash-dumps [1] missing
        Assert.Equal(T("04:30"), GlobalWatermark.Candidate(clocks, partitions: null, Now, Idle, Stale));
    }

    [Fact]
    public void A_quiet_partition_whose_node_stopped_refreshing_it_holds_it_back_at_its_newest_time()
    {
        PartitionClock[] fresh = [Quiet("crash-dumps", 0, "04:30", 5), Quiet("crash-dumps", 1, "04:40", 5), Quiet("service-status", 0, null, 5)];
        Assert.Equal(T("04:41"), GlobalWatermark.Candidate(fresh, TwoTopics, Now, Idle, Stale)); // all quiet long enough: closes the newest minute
        var deadNode = fresh.Select(c => c.Partition == 0 && c.Topic == "crash-dumps" ? c with { Age = TimeSpan.FromSeconds(20) } : c).ToList();
        Assert.Equal(T("04:30"), GlobalWatermark.Candidate(deadNode, TwoTopics, Now, Idle, Stale));
    }

    [Fact]
    public void A_partition_at_its_end_holds_it_back_once_the_broker_has_records_past_what_was_stored_from_it()
    {
        // crash-dumps [0] was at its end (offset 10) a moment ago; another node reads that clock, and the broker may
        // have received records since that nobody has stored yet: their minute must not close before they are.
        PartitionClock[] clocks = [Quiet("crash-dumps", 0, "04:12", 1) with { Next = 10 }, Busy("crash-dumps", 1, "04:30") with { Next = 500 },
            Quiet("service-status", 0, null, 1) with { Next = 0 }];
        Dictionary<(string, int), long> caughtUp = new() { [("crash-dumps", 0)] = 10, [("service-status", 0)] = 0 };
        Assert.Equal(T("04:30"), GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale, caughtUp));
        Dictionary<(string, int), long> writtenPast = new() { [("crash-dumps", 0)] = 12, [("service-status", 0)] = 0 };
        Assert.Equal(T("04:12"), GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale, writtenPast));
        Dictionary<(string, int), long> neverAnswered = new() { [("crash-dumps", 0)] = 10 };
        Assert.Null(GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale, neverAnswered)); // service-status [0] could hold anything
        Assert.Equal(T("04:30"), GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale)); // one consumer, no broker asked
    }

    [Fact]
    public void Rows_of_partitions_a_topic_no_longer_has_are_ignored()
    {
        PartitionClock[] clocks = [Busy("crash-dumps", 0, "04:30"), Busy("crash-dumps", 1, "04:31"), Quiet("service-status", 0, "04:50", 1),
            Busy("crash-dumps", 5, null) with { Age = TimeSpan.FromDays(3) }];
        Assert.Equal(T("04:30"), GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale));
    }

    [Fact]
    public void Quiet_everywhere_but_not_for_long_enough_keeps_the_newest_minute_open()
    {
        PartitionClock[] clocks = [Quiet("crash-dumps", 0, "04:30", 5), Quiet("crash-dumps", 1, "04:40", 1), Quiet("service-status", 0, null, 5)];
        Assert.Equal(T("04:40"), GlobalWatermark.Candidate(clocks, TwoTopics, Now, Idle, Stale));
    }
}
