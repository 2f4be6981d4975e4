using Correlator.Correlation;

namespace Correlator.Findings;

/// <summary>
/// The one order of every findings list (API, <c>as-of</c>, CLI, page): most confident first; among findings whose
/// confidence is the same as shown (two decimals), the one with more impact first: more crashes, then more hosts, then
/// more degraded service regions; then the earlier detection, then the id. Pure.
/// </summary>
public static class FindingOrder
{
    /// <summary>What a finding weighs: its crashes and hosts summed over its signatures, and its degraded service regions.</summary>
    public readonly record struct Impact(int Crashes, int Hosts, int Services)
    {
        public static Impact Of(Finding f) => Of(f.Signatures, f.Services);

        public static Impact Of(IReadOnlyList<FindingSignature> signatures, IReadOnlyList<FindingService> services) =>
            new(signatures.Sum(s => s.Crashes), signatures.Sum(s => s.Hosts), services.Count);
    }

    /// <summary>Confidence as the lists show it: two decimals.</summary>
    public static double ShownConfidence(double confidence) => Math.Round(confidence, 2, MidpointRounding.AwayFromZero);

    public static IReadOnlyList<T> Sort<T>(IEnumerable<T> findings, Func<T, double> confidence, Func<T, Impact> impact,
        Func<T, DateTimeOffset> detectedAt, Func<T, string> id) =>
        findings
            .Select(f => (Item: f, Confidence: ShownConfidence(confidence(f)), Impact: impact(f)))
            .OrderByDescending(x => x.Confidence)
            .ThenByDescending(x => x.Impact.Crashes)
            .ThenByDescending(x => x.Impact.Hosts)
            .ThenByDescending(x => x.Impact.Services)
            .ThenByDescending(x => confidence(x.Item))
            .ThenBy(x => detectedAt(x.Item))
            .ThenBy(x => id(x.Item), StringComparer.Ordinal)
            .Select(x => x.Item)
            .ToList();

    public static IReadOnlyList<Finding> Sort(IEnumerable<Finding> findings) =>
        Sort(findings, f => f.Confidence, Impact.Of, f => f.DetectedAt, f => f.FindingId);
}
