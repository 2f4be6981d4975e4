namespace Correlator.Api;

/// <summary>Read model of one crash signature (id = the signature): when and where it occurred, on which hosts.</summary>
public sealed class SignatureTimeline
{
    public string Id { get; set; } = "";
    public int Crashes { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
    public HashSet<string> Hosts { get; set; } = [];
    public Dictionary<string, int> Regions { get; set; } = [];
    /// <summary>Crashes per minute of event time, keyed <c>yyyy-MM-ddTHH:mmZ</c>.</summary>
    public Dictionary<string, int> PerMinute { get; set; } = [];
}
