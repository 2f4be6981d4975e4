namespace Correlator.Correlation;

/// <summary>What the engine knows about a host from the crashes it reported (the first report that names each of its region, fleet and OS build).</summary>
public sealed record KnownHost(string HostId, string? Platform, string? Region, string? Fleet, string? OsVersion);
