namespace Correlator.Correlation;

/// <summary>What the engine knows about a host from the crashes it reported (the first report wins).</summary>
public sealed record KnownHost(string HostId, string? Platform, string? Region, string? Fleet, string? OsVersion);
