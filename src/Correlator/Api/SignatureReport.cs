using System.Globalization;
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

    public static SignatureReport From(SignatureTimeline s)
    {
        var perMinute = s.PerMinute
            .Select(kv => new MinuteCount(DateTimeOffset.Parse(kv.Key, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal), kv.Value))
            .OrderBy(m => m.At).ToList();
        var perHour = perMinute
            .GroupBy(m => new DateTimeOffset(m.At.UtcTicks - m.At.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero))
            .Select(g => new MinuteCount(g.Key, g.Sum(m => m.Count))).ToList();
        return new SignatureReport(s.Id, Explanation.Describe(s.Id), s.Crashes, s.Hosts.Count, s.FirstSeen, s.LastSeen,
            new SortedDictionary<string, int>(s.Regions, StringComparer.Ordinal), s.Hosts.Order(StringComparer.Ordinal).Take(MaxHosts).ToList(), perMinute, perHour);
    }
}
