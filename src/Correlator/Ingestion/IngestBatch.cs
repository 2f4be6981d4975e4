using System.Security.Cryptography;
using Confluent.Kafka;
using Correlator.Ingestion.Events;

namespace Correlator.Ingestion;

/// <summary>
/// What one batch of Kafka records becomes: events to store (keyed for idempotency), rejections to dead-letter,
/// and the offsets to commit once both are safe. Pure: no I/O.
/// </summary>
public sealed class IngestBatch
{
    public List<Candidate> Accepted { get; } = [];
    public List<Refusal> Rejected { get; } = [];
    public Dictionary<TopicPartition, Offset> NextOffsets { get; } = [];
    public int Count { get; private set; }
    /// <summary>Set when the ingestion watermark advanced with this batch: stored in the same transaction.</summary>
    public IngestWatermarkAdvanced? Watermark { get; set; }

    public sealed record Candidate(ConsumeResult<string?, byte[]> Record, string Topic, string MessageId, object Event, EventTimeSkewFlagged? Skew);

    /// <summary>A refused message: <see cref="Record"/> is the original, <see cref="Event"/> what the store keeps.</summary>
    public sealed record Refusal(ConsumeResult<string?, byte[]> Record, MessageRejected Event, string ReceiptId, string Code);

    public void Add(ConsumeResult<string?, byte[]> record, ValidationResult result, TimeSpan futureSkew, DateTimeOffset now)
    {
        Count++;
        NextOffsets[record.TopicPartition] = record.Offset + 1;
        var brokerTime = record.Message.Timestamp.Type == TimestampType.NotAvailable
            ? now
            : new DateTimeOffset(record.Message.Timestamp.UtcDateTime, TimeSpan.Zero);
        switch (result)
        {
            case ValidationResult.Accepted a:
                var skew = a.EventTime - brokerTime > futureSkew
                    ? new EventTimeSkewFlagged(a.Id, a.Topic, a.EventTime, brokerTime, a.EventTime - brokerTime)
                    : null;
                Accepted.Add(new Candidate(record, a.Topic, a.Id, Stamp(a.Event, brokerTime), skew));
                break;
            case ValidationResult.Rejected r:
                Reject(record, r.Code, r.Reason, r.MessageId, now);
                break;
        }
    }

    /// <summary>The same records split into batches of one, for isolating a message the store refuses.</summary>
    public IEnumerable<IngestBatch> Singles()
    {
        foreach (var a in Accepted)
        {
            var single = new IngestBatch { Count = 1 };
            single.Accepted.Add(a);
            yield return single;
        }
        foreach (var r in Rejected)
        {
            var single = new IngestBatch { Count = 1 };
            single.Rejected.Add(r);
            yield return single;
        }
    }

    public void Reject(ConsumeResult<string?, byte[]> record, string code, string reason, string? messageId, DateTimeOffset now)
    {
        var value = record.Message.Value ?? [];
        var rejected = new MessageRejected(record.Topic, record.Partition.Value, record.Offset.Value, record.Message.Key,
            $"{code}: {reason}", Convert.ToBase64String(value), now, messageId);
        // Same record redelivered ⇒ same receipt: a rejection is recorded once.
        var receipt = $"{record.Partition.Value}:{record.Offset.Value}:{Convert.ToHexString(SHA256.HashData(value))[..16]}";
        Rejected.Add(new Refusal(record, rejected, receipt, code));
    }

    /// <summary>Sets the knowledge time (the broker timestamp) on an accepted event.</summary>
    public static object Stamp(object e, DateTimeOffset brokerTime) => InputEvents.Stamp(e, brokerTime);

    public static string RejectionReceiptTopic(string topic) => topic + "#rejected";
}
