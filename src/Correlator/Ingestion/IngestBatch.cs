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
    /// <summary>This node's partition clocks as of this batch, stored with it; <see cref="GroupClock.Decide"/> turns the group's into <see cref="Watermark"/>.</summary>
    public GroupClock? Clock { get; set; }

    /// <summary>
    /// What the writer stores for the group watermark: this node's clocks (<paramref name="Mine"/>), and how to decide
    /// the watermark from every node's (null: it did not advance).
    /// </summary>
    public sealed record GroupClock(string Group, string Node, IReadOnlyList<PartitionClock> Mine,
        Func<IReadOnlyCollection<PartitionClock>, CancellationToken, Task<DateTimeOffset?>> Decide);

    public sealed record Candidate(ConsumeResult<string?, byte[]> Record, string Topic, string MessageId, object Event, EventTimeSkewFlagged? Skew);

    /// <summary>A refused message: <see cref="Record"/> is the original, <see cref="Event"/> what the store keeps.</summary>
    public sealed record Refusal(ConsumeResult<string?, byte[]> Record, MessageRejected Event, string ReceiptId, string Code);

    /// <summary>
    /// Adds one validated record. Returns the knowledge time an accepted message was stamped with (from
    /// <paramref name="knowledge"/>, else the record timestamp), null for a rejected one.
    /// </summary>
    public DateTimeOffset? Add(ConsumeResult<string?, byte[]> record, ValidationResult result, TimeSpan futureSkew, DateTimeOffset now,
        KnowledgeClock? knowledge = null)
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
                var known = knowledge?.Known(record.TopicPartition, a.EventTime, brokerTime) ?? brokerTime;
                Accepted.Add(new Candidate(record, a.Topic, a.Id, Stamp(a.Event, known), skew));
                return known;
            case ValidationResult.Rejected r:
                Reject(record, r.Code, r.Reason, r.MessageId, now);
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(result));
        }
    }

    /// <summary>The same records in two batches of about half each, for isolating a message the store refuses.</summary>
    public (IngestBatch First, IngestBatch Second) Halves()
    {
        var first = new IngestBatch();
        var second = new IngestBatch();
        var half = (Accepted.Count + Rejected.Count + 1) / 2;
        for (var i = 0; i < Accepted.Count; i++) (i < half ? first : second).Accepted.Add(Accepted[i]);
        for (var i = 0; i < Rejected.Count; i++) (Accepted.Count + i < half ? first : second).Rejected.Add(Rejected[i]);
        first.Count = first.Accepted.Count + first.Rejected.Count;
        second.Count = second.Accepted.Count + second.Rejected.Count;
        return (first, second);
    }

    /// <summary>The one record of a batch of one.</summary>
    public ConsumeResult<string?, byte[]> Single => Accepted.Count > 0 ? Accepted[0].Record : Rejected[0].Record;

    public void Reject(ConsumeResult<string?, byte[]> record, string code, string reason, string? messageId, DateTimeOffset now)
    {
        var value = record.Message.Value ?? [];
        var key = record.Message.Key;
        var keyBytes = JsonbText.IsStorable(key) ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key!));
        var rejected = new MessageRejected(JsonbText.Storable(record.Topic)!, record.Partition.Value, record.Offset.Value, JsonbText.Storable(key),
            JsonbText.Storable($"{code}: {reason}")!, Convert.ToBase64String(value), now, JsonbText.Storable(messageId), keyBytes);
        // Keyed by content (key and value), not offset: a redelivery or a producer re-sending the same malformed message
        // is one rejection (each copy is still dead-lettered), the same bytes under another key are another.
        var receipt = ContentReceipt(record.Message.Key, value);
        Rejected.Add(new Refusal(record, rejected, receipt, code));
    }

    public static string ContentReceipt(string? key, byte[] value)
    {
        var keyBytes = key is null ? [] : System.Text.Encoding.UTF8.GetBytes(key);
        var prefix = BitConverter.GetBytes(key is null ? -1 : keyBytes.Length);
        return Convert.ToHexString(SHA256.HashData([.. prefix, .. keyBytes, .. value]))[..32];
    }

    /// <summary>Sets the knowledge time on an accepted event.</summary>
    public static object Stamp(object e, DateTimeOffset knownAt) => InputEvents.Stamp(e, knownAt);

    public static string RejectionReceiptTopic(string topic) => topic + "#rejected";
}
