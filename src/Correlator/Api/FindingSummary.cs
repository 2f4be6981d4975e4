using Correlator.Correlation;

namespace Correlator.Api;

/// <summary>One row of the findings list: what is suspected, how sure, since when.</summary>
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
    DateTimeOffset UpdatedAt)
{
    public static FindingSummary From(Finding f, DateTimeOffset detectedAt, DateTimeOffset updatedAt) => new(
        f.FindingId, f.Status, f.UpdateId, f.Vendor, f.Product, f.Version, f.Confidence, f.Signatures, f.Services,
        f.Explanation, f.FirstFailureAt, detectedAt, updatedAt);
}
