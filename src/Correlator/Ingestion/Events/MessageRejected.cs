namespace Correlator.Ingestion.Events;

/// <summary>
/// A message refused at the edge. <see cref="Value"/> holds its bytes unchanged (base64). Text fields hold only what
/// jsonb can store (<see cref="JsonbText"/>); when the Kafka key could not be stored as it was, <see cref="KeyBytes"/>
/// holds it unchanged (base64) and <see cref="Key"/> a readable copy.
/// </summary>
public sealed record MessageRejected(
    string Topic,
    int Partition,
    long Offset,
    string? Key,
    string Reason,
    string Value,
    DateTimeOffset ReceivedAt,
    string? MessageId = null,
    string? KeyBytes = null)
{
    /// <summary>The Kafka key as it was received (a method, not a property: the serializer must not store it).</summary>
    public string? OriginalKey() => KeyBytes is null ? Key : System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(KeyBytes));
}
