using Correlator.Correlation;

namespace Correlator.Api;

/// <summary>The answer of <c>GET /api/signatures/{signature}</c>.</summary>
public sealed record SignatureReport(
    string Signature,
    string Description,
    int Crashes,
    int Hosts,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    IReadOnlyDictionary<string, int> Regions,
    IReadOnlyList<string> HostIds,
    IReadOnlyList<MinuteCount> PerMinute,
    IReadOnlyList<MinuteCount> PerHour)
{
    public const int MaxHosts = 500;

    /// <summary>One signature's days (at least one) merged.</summary>
    public static SignatureReport From(IReadOnlyList<SignatureDay> days)
    {
        var hosts = days.SelectMany(d => d.Hosts).ToHashSet(StringComparer.Ordinal);
        var regions = days.SelectMany(d => d.Regions).GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Sum(r => r.Value));
        var perMinute = days.SelectMany(d => d.Minutes())
            .GroupBy(m => m.Minute).Select(g => new MinuteCount(g.Key, g.Sum(m => m.Crashes)))
            .OrderBy(m => m.At).ToList();
        var perHour = perMinute
            .GroupBy(m => TimeBuckets.Hour(m.At))
            .Select(g => new MinuteCount(g.Key, g.Sum(m => m.Count))).ToList();
        var signature = days[0].Signature;
        return new SignatureReport(signature, Explanation.Describe(signature), days.Sum(d => d.Crashes), hosts.Count,
            days.Min(d => d.FirstSeen), days.Max(d => d.LastSeen), new SortedDictionary<string, int>(regions, StringComparer.Ordinal),
            hosts.Order(StringComparer.Ordinal).Take(MaxHosts).ToList(), perMinute, perHour);
    }
}
