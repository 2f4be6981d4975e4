namespace Correlator.Api;

/// <summary>One message refused at the edge (id <c>{topic}/{partition}/{offset}</c>); its bytes stay in the event and the DLQ.</summary>
public sealed class RejectedMessage
{
    public string Id { get; set; } = "";
    public string Topic { get; set; } = "";
    public int Partition { get; set; }
    public long Offset { get; set; }
    public string? Key { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public string? MessageId { get; set; }
    public int Bytes { get; set; }
}
