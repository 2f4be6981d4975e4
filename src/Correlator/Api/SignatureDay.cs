namespace Correlator.Api;

/// <summary>
/// Read model of one crash signature on one UTC day (id <c>{signature}|yyyy-MM-dd</c>): when and where it occurred, on
/// which hosts, per minute and region. A day bounds the document, so a signature that crashes millions of hosts over
/// months stays many small documents that a rebuild writes once each, not one that grows with every page.
/// <see cref="SignatureReport"/> merges a signature's days; <see cref="UpdateReport"/> reads every signature's days
/// around a release. It is the only view that reads crash reports: each crash costs a rebuild ~27 µs to read.
/// </summary>
public sealed class SignatureDay
{
    public string Id { get; set; } = "";
    public string Signature { get; set; } = "";
    public DateTimeOffset Day { get; set; }
    public int Crashes { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public HashSet<string> Hosts { get; set; } = [];
    public Dictionary<string, int> Regions { get; set; } = [];
    /// <summary>Crashes per minute of event time and region, keyed <c>yyyy-MM-ddTHH:mmZ|region</c>.</summary>
    public Dictionary<string, int> PerMinuteRegion { get; set; } = [];

    /// <summary>(minute, region, crashes) from <see cref="PerMinuteRegion"/>.</summary>
    public IEnumerable<(DateTimeOffset Minute, string Region, int Crashes)> Minutes() =>
        PerMinuteRegion.Select(kv =>
        {
            var bar = kv.Key.IndexOf('|');
            return (DateTimeOffset.Parse(kv.Key[..bar], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
                kv.Key[(bar + 1)..], kv.Value);
        });

    public static string MinuteKey(DateTimeOffset t) => Correlation.TimeBuckets.Minute(t).ToString("yyyy-MM-ddTHH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static DateTimeOffset DayOf(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);
    public static string Key(string signature, DateTimeOffset t) => $"{signature}|{DayOf(t):yyyy-MM-dd}";
}
