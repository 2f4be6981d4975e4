namespace Correlator.Api;

/// <summary>Read model of one host (stream <c>host/{hostId}</c>): its crashes and installations, in event time.</summary>
public sealed class HostTimeline
{
    public string Id { get; set; } = "";
    public string HostId { get; set; } = "";
    public string? Platform { get; set; }
    public string? Region { get; set; }
    public string? Fleet { get; set; }
    public string? OsVersion { get; set; }
    public List<HostCrash> Crashes { get; set; } = [];
    public List<HostInstallation> Installations { get; set; } = [];
}

public sealed record HostCrash(string CrashId, DateTimeOffset OccurredAt, string Signature, string Kind, string? Module, string? OsVersion, string? Region);

public sealed record HostInstallation(string UpdateId, DateTimeOffset InstalledAt);
