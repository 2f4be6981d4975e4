using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Correlator.Hosting;

namespace Correlator.Ingestion;

/// <summary>Copies refused messages, bytes unchanged, to <c>&lt;topic&gt;.dlq</c> with headers naming why and where from.</summary>
public sealed class DeadLetters(IProducer<string?, byte[]> producer)
{
    public const string ReasonHeader = "correlator-reason";
    public const string CodeHeader = "correlator-reason-code";
    public const string SourceTopicHeader = "correlator-source-topic";
    public const string SourcePartitionHeader = "correlator-source-partition";
    public const string SourceOffsetHeader = "correlator-source-offset";
    public const string RejectedAtHeader = "correlator-rejected-at";

    /// <summary>Returns once the broker has every copy: offsets are committed only after this.</summary>
    public async Task PublishAsync(IReadOnlyList<IngestBatch.Refusal> refusals, CancellationToken ct)
    {
        if (refusals.Count == 0) return;
        var sends = refusals.Select(r => producer.ProduceAsync(TopicNames.DeadLetterTopic(r.Record.Topic), Copy(r), ct));
        await Task.WhenAll(sends);
    }

    private static Message<string?, byte[]> Copy(IngestBatch.Refusal r)
    {
        var headers = new Headers();
        if (r.Record.Message.Headers is { } original)
            foreach (var h in original) headers.Add(h.Key, h.GetValueBytes());
        headers.Add(ReasonHeader, Encoding.UTF8.GetBytes(r.Event.Reason));
        headers.Add(CodeHeader, Encoding.UTF8.GetBytes(r.Code));
        headers.Add(SourceTopicHeader, Encoding.UTF8.GetBytes(r.Record.Topic));
        headers.Add(SourcePartitionHeader, Encoding.UTF8.GetBytes(r.Record.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(SourceOffsetHeader, Encoding.UTF8.GetBytes(r.Record.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(RejectedAtHeader, Encoding.UTF8.GetBytes(r.Event.ReceivedAt.ToString("O", CultureInfo.InvariantCulture)));
        return new Message<string?, byte[]>
        {
            Key = r.Record.Message.Key,
            Value = r.Record.Message.Value ?? [],
            Headers = headers,
            Timestamp = r.Record.Message.Timestamp,
        };
    }
}
