using System.Text;
using Confluent.Kafka;
using Wolverine;
using Wolverine.Kafka;

namespace Correlator.Alerts;

/// <summary>
/// Kafka protocol binding for CloudEvents, structured mode: key = findingId, value = the CloudEvent JSON,
/// <c>content-type</c> header, and none of Wolverine's own headers.
/// </summary>
public sealed class FindingCloudEventMapper : IKafkaEnvelopeMapper
{
    public void MapEnvelopeToOutgoing(Envelope envelope, Message<string, byte[]> outgoing)
    {
        outgoing.Key = envelope.PartitionKey ?? throw new InvalidOperationException($"finding event {envelope.Id} has no key");
        outgoing.Value = envelope.Data ?? throw new InvalidOperationException($"finding event {envelope.Id} has no body");
        outgoing.Headers ??= new Headers();
        outgoing.Headers.Add("content-type", Encoding.UTF8.GetBytes(FindingCloudEvent.ContentType));
    }

    public void MapIncomingToEnvelope(Envelope envelope, Message<string, byte[]> incoming) =>
        throw new NotSupportedException("the findings topic is output only");
}
