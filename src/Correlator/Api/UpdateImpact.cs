using Correlator.Ingestion.Events;

namespace Correlator.Api;

/// <summary>Read model of one update (id = updateId): its manifests, recall and installations (host → first installation time).</summary>
public sealed class UpdateImpact
{
    public string Id { get; set; } = "";
    public List<UpdateReleased> Releases { get; set; } = [];
    public DateTimeOffset? RecalledAt { get; set; }
    public string? RecallReason { get; set; }
    public Dictionary<string, DateTimeOffset> Installations { get; set; } = [];
}

public sealed record UpdateInstallation(string HostId, DateTimeOffset InstalledAt);

public sealed record UpdateFinding(string FindingId, string Status, double Confidence, DateTimeOffset DetectedAt, DateTimeOffset UpdatedAt, string Explanation);
