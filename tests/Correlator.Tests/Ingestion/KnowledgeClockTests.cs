using Confluent.Kafka;
using Correlator.Ingestion;

namespace Correlator.Tests.Ingestion;

public class KnowledgeClockTests
{
    private static readonly TopicPartition P0 = new("crash-dumps", 0), P1 = new("crash-dumps", 1);
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-04T07:00:00Z");
    private static DateTimeOffset T(string hhmm) => DateTimeOffset.Parse($"2024-07-19T{hhmm}:00Z");

    [Fact]
    public void Record_timestamp_knowledge_is_the_record_timestamp_and_counts_messages_older_than_the_historic_age()
    {
        var clock = new KnowledgeClock(KnowledgeTimeSource.RecordTimestamp, TimeSpan.FromMinutes(10), TimeSpan.FromDays(14));
        Assert.Equal(Now, clock.Known(P0, T("04:15"), Now));
        Assert.Equal(Now, clock.Known(P0, Now.AddDays(-13), Now));
        Assert.Equal(1, clock.Historic);
        Assert.Equal(("crash-dumps", T("04:15")), (clock.LastHistoric!.Value.Topic, clock.LastHistoric.Value.EventTime));
    }

    [Fact]
    public void Event_time_knowledge_is_the_running_maximum_per_partition_and_a_future_event_moves_it_only_to_the_skew_bound()
    {
        var clock = new KnowledgeClock(KnowledgeTimeSource.EventTime, TimeSpan.FromMinutes(10), TimeSpan.FromDays(14));
        Assert.Equal(T("04:15"), clock.Known(P0, T("04:15"), Now));
        Assert.Equal(T("04:15"), clock.Known(P0, T("03:50"), Now)); // late: known when the newest before it was
        Assert.Equal(T("04:20"), clock.Known(P0, T("04:20"), Now));
        Assert.Equal(T("03:50"), clock.Known(P1, T("03:50"), Now)); // partitions are apart
        Assert.Equal(0, clock.Historic);

        // A host clock years ahead of the record timestamp does not drag the partition's clock with it.
        Assert.Equal(Now.AddMinutes(10), clock.Known(P1, Now.AddYears(3), Now));

        clock.Revoked(P0);
        Assert.Equal(T("04:00"), clock.Known(P0, T("04:00"), Now));
    }
}
