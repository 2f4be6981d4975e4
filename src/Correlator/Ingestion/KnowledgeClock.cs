using Confluent.Kafka;

namespace Correlator.Ingestion;

/// <summary>The knowledge time of each accepted message, by <see cref="KnowledgeTimeSource"/>. Pure; one per consumer.</summary>
public sealed class KnowledgeClock(KnowledgeTimeSource source, TimeSpan futureSkew, TimeSpan historicAge)
{
    private readonly Dictionary<TopicPartition, DateTimeOffset> _newest = [];

    public KnowledgeTimeSource Source => source;

    /// <summary>Record-timestamp messages whose event time was older than the historic age at their record timestamp.</summary>
    public long Historic { get; private set; }

    /// <summary>The newest such message: where, and how old its event time was.</summary>
    public (string Topic, DateTimeOffset EventTime, TimeSpan Age)? LastHistoric { get; private set; }

    public DateTimeOffset Known(TopicPartition partition, DateTimeOffset eventTime, DateTimeOffset recordTime)
    {
        if (source == KnowledgeTimeSource.RecordTimestamp)
        {
            if (recordTime - eventTime > historicAge)
            {
                Historic++;
                LastHistoric = (partition.Topic, eventTime, recordTime - eventTime);
            }
            return recordTime;
        }
        var bounded = eventTime - recordTime > futureSkew ? recordTime + futureSkew : eventTime;
        var known = _newest.TryGetValue(partition, out var newest) && newest > bounded ? newest : bounded;
        _newest[partition] = known;
        return known;
    }

    /// <summary>A partition moved to another consumer: its clock starts again from the next message read here.</summary>
    public void Revoked(TopicPartition partition) => _newest.Remove(partition);
}
