namespace Correlator.Ingestion.Events;

public sealed record UpdateInstalled(string Id, string UpdateId, string HostId, DateTimeOffset InstalledAt)
{
    public DateTimeOffset ObservedAt { get; init; }
}
