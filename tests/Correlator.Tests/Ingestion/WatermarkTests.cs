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
}
