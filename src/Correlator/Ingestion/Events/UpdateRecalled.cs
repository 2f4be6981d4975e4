namespace Correlator.Ingestion.Events;

public sealed record UpdateRecalled(string Id, string UpdateId, DateTimeOffset RecalledAt, string? Reason = null)
{
    public DateTimeOffset ObservedAt { get; init; }
}
