namespace Correlator.Api;

/// <summary>
/// Read model of one crash signature on one UTC day (id <c>{signature}|yyyy-MM-dd</c>): when and where it occurred, on
/// which hosts. A day bounds the document, so a signature that crashes millions of hosts over months stays many small
/// documents that a rebuild writes once each, not one that grows with every page. <see cref="SignatureReport"/> merges them.
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
    /// <summary>Crashes per minute of event time, keyed <c>yyyy-MM-ddTHH:mmZ</c>.</summary>
    public Dictionary<string, int> PerMinute { get; set; } = [];

    public static DateTimeOffset DayOf(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);
    public static string Key(string signature, DateTimeOffset t) => $"{signature}|{DayOf(t):yyyy-MM-dd}";
}
