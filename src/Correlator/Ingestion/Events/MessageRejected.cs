namespace Correlator.Ingestion.Events;

/// <summary>A message refused at the edge. <see cref="Value"/> holds its bytes unchanged (base64).</summary>
public sealed record MessageRejected(
    string Topic,
    int Partition,
    long Offset,
    string? Key,
    string Reason,
    string Value,
    DateTimeOffset ReceivedAt,
    string? MessageId = null);
