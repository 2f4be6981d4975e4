namespace Correlator.Api;

/// <summary>
/// Crashes that occurred in one hour of event time (id <c>yyyy-MM-ddTHHZ</c>), by minute, signature and region. An hour
/// per document, not a minute: a rebuild writes sixty times fewer documents, and a day's chart is 24 of them.
/// </summary>
public sealed class CrashHour
{
    public string Id { get; set; } = "";
    public DateTimeOffset Hour { get; set; }
    /// <summary>Keyed <c>{minute}|{signature}|{region}</c>: a burst hour holds thousands, found per crash.</summary>
    public Dictionary<string, CrashCount> Counts { get; set; } = [];

    public static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerHour, TimeSpan.Zero);
    public static DateTimeOffset FloorMinute(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    public static string Key(DateTimeOffset t) => Floor(t).ToString("yyyy-MM-ddTHH'Z'", System.Globalization.CultureInfo.InvariantCulture);
    public static string MinuteKey(DateTimeOffset t) => FloorMinute(t).ToString("yyyy-MM-ddTHH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class CrashCount
{
    public DateTimeOffset Minute { get; set; }
    public string Signature { get; set; } = "";
    public string Region { get; set; } = "";
    public int Crashes { get; set; }
}
