using Correlator.Correlation;
using Correlator.Findings;

namespace Correlator.Api;

/// <summary>
/// One row of the findings list: what is suspected, how sure, since when, and its impact (<see cref="Crashes"/> and
/// <see cref="Hosts"/> summed over its signatures, <see cref="ServiceRegions"/> degraded).
/// </summary>
public sealed record FindingSummary(
    string FindingId,
    string Status,
    string UpdateId,
    string Vendor,
    string Product,
    string Version,
    double Confidence,
    IReadOnlyList<FindingSignature> Signatures,
    IReadOnlyList<FindingService> Services,
    string Explanation,
    DateTimeOffset FirstFailureAt,
    DateTimeOffset DetectedAt,
    DateTimeOffset UpdatedAt,
    int Crashes,
    int Hosts,
    int ServiceRegions)
{
    public static FindingSummary From(Finding f, DateTimeOffset detectedAt, DateTimeOffset updatedAt)
    {
        var impact = FindingOrder.Impact.Of(f);
        return new(f.FindingId, f.Status, f.UpdateId, f.Vendor, f.Product, f.Version, f.Confidence, f.Signatures, f.Services,
            f.Explanation, f.FirstFailureAt, detectedAt, updatedAt, impact.Crashes, impact.Hosts, impact.Services);
    }

    /// <summary>Findings in <see cref="FindingOrder"/>.</summary>
    public static IReadOnlyList<FindingSummary> Sort(IEnumerable<FindingSummary> rows) =>
        FindingOrder.Sort(rows, f => f.Confidence, f => new FindingOrder.Impact(f.Crashes, f.Hosts, f.ServiceRegions), f => f.DetectedAt, f => f.FindingId);
}
