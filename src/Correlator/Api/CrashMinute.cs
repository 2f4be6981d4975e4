namespace Correlator.Api;

/// <summary>Crashes that occurred in one minute of event time (id <c>yyyy-MM-ddTHH:mmZ</c>), by signature and region.</summary>
public sealed class CrashMinute
{
    public string Id { get; set; } = "";
    public DateTimeOffset Minute { get; set; }
    public List<CrashCount> Counts { get; set; } = [];

    public static DateTimeOffset Floor(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    public static string Key(DateTimeOffset t) => Floor(t).ToString("yyyy-MM-ddTHH:mm'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class CrashCount
{
    public string Signature { get; set; } = "";
    public string Region { get; set; } = "";
    public int Crashes { get; set; }
}
