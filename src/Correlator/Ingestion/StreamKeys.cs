using Correlator.Ingestion.Events;

namespace Correlator.Ingestion;

/// <summary>
/// Which stream an event belongs to. A stream is the consistency boundary of one thing an SRE asks about:
/// a host (its crashes and installations, in its own order), an update (release, amendments, recall),
/// a service in a region (its status history), the rejections of a topic, a finding.
/// </summary>
public static class StreamKeys
{
    public static string For(object e) => e switch
    {
        CrashReported c => Host(c.HostId),
        UpdateInstalled i => Host(i.HostId),
        UpdateReleased r => Update(r.UpdateId),
        UpdateRecalled r => Update(r.UpdateId),
        ServiceStatusObserved s => Service(s.Service, s.Region),
        MessageRejected r => Rejections(r.Topic),
        _ => throw new ArgumentException($"no stream for {e.GetType().Name}", nameof(e)),
    };

    public const string Watermark = "ingest/watermark";

    public static string Host(string hostId) => "host/" + hostId;
    public static string Update(string updateId) => "update/" + updateId;
    public static string Service(string service, string? region) => $"service/{service}@{region ?? "global"}";
    public static string Rejections(string topic) => "rejections/" + topic;
    /// <summary>Finding ids (<c>F-…</c>) are their own stream keys, so the read model's id is the finding id.</summary>
    public static string Finding(string findingId) => findingId;
}
