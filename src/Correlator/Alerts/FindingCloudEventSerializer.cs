using Wolverine;
using Wolverine.Runtime.Serialization;

namespace Correlator.Alerts;

/// <summary>Writes a <see cref="FindingCloudEvent"/> as its prebuilt CloudEvent JSON, nothing around it.</summary>
public sealed class FindingCloudEventSerializer : IMessageSerializer
{
    public string ContentType => FindingCloudEvent.ContentType;

    public byte[] Write(Envelope envelope) => WriteMessage(envelope.Message!);

    public byte[] WriteMessage(object message) => ((FindingCloudEvent)message).Body;

    public object ReadFromData(Type messageType, Envelope envelope) => ReadFromData(envelope.Data!);

    public object ReadFromData(byte[] data) =>
        throw new NotSupportedException("Correlator only publishes finding CloudEvents; it does not read them back");
}
