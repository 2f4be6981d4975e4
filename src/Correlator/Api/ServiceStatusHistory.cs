namespace Correlator.Api;

/// <summary>Read model of one service in one region (stream <c>service/{service}@{region}</c>): every observation.</summary>
public sealed class ServiceStatusHistory
{
    public string Id { get; set; } = "";
    public string Service { get; set; } = "";
    public string Region { get; set; } = "";
    public List<StatusObservation> Observations { get; set; } = [];
}

public sealed record StatusObservation(DateTimeOffset ObservedAt, string Status, string? Component, string? Source, string? Message);
