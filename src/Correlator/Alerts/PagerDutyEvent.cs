using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Correlator.Correlation;

namespace Correlator.Alerts;

/// <summary>
/// PagerDuty Events API v2: <c>trigger</c> on raised/updated (PagerDuty folds repeats into one incident by
/// <c>dedup_key</c> = findingId), <c>resolve</c> on resolved/dismissed.
/// </summary>
public static class PagerDutyEvent
{
    public const string DefaultUrl = "https://events.pagerduty.com/v2/enqueue";

    public static JsonObject For(WebhookDelivery d, string routingKey, AlertsOptions options)
    {
        var f = d.Finding;
        if (FindingEventType.ClosesIncident(d.Type))
            return new JsonObject { ["routing_key"] = routingKey, ["event_action"] = "resolve", ["dedup_key"] = f.FindingId };

        var url = options.FindingUrl(f.FindingId);
        return new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = "trigger",
            ["dedup_key"] = f.FindingId,
            ["payload"] = new JsonObject
            {
                ["summary"] = Truncate(f.Explanation, 1024),
                ["source"] = "correlator",
                ["severity"] = Severity(f),
                ["timestamp"] = d.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
                ["component"] = $"{f.Product} {f.Version}",
                ["group"] = f.Vendor,
                ["class"] = "update-correlation",
                ["custom_details"] = new JsonObject
                {
                    ["findingId"] = f.FindingId,
                    ["status"] = f.Status,
                    ["updateId"] = f.UpdateId,
                    ["confidence"] = f.Confidence,
                    ["signatures"] = JsonSerializer.SerializeToNode(f.Signatures, FindingPayload.Json),
                    ["services"] = JsonSerializer.SerializeToNode(f.Services, FindingPayload.Json),
                    ["eventId"] = d.EventId,
                },
            },
            ["links"] = new JsonArray(new JsonObject { ["href"] = url, ["text"] = $"Finding {f.FindingId}" }),
            ["client"] = "Correlator",
            ["client_url"] = url,
        };
    }

    private static string Severity(Finding f) =>
        f.Status == FindingStatus.Confirmed || f.Confidence >= 0.9 ? "critical" : f.Confidence >= 0.5 ? "error" : "warning";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
