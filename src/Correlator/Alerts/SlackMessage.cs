using System.Globalization;
using System.Text.Json.Nodes;

namespace Correlator.Alerts;

/// <summary>A Slack incoming-webhook message: the explanation, the key facts and a button to the finding's page.</summary>
public static class SlackMessage
{
    public static JsonObject For(WebhookDelivery d, AlertsOptions options)
    {
        var f = d.Finding;
        var url = options.FindingUrl(f.FindingId);
        var headline = Truncate($"{Verb(d)}: {f.Vendor} {f.Product} {f.Version}", 150);
        var facts = string.Create(CultureInfo.InvariantCulture,
            $"*{f.FindingId}* · status *{f.Status}* · confidence *{f.Confidence:0.00}* · {f.Signatures.Count} signature(s), {f.Services.Count} service(s) · update `{Escape(f.UpdateId)}`");
        return new JsonObject
        {
            ["text"] = $"{Escape(headline)}. {Escape(f.Explanation)} <{url}|Open finding>",
            ["blocks"] = new JsonArray(
                new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = headline } },
                new JsonObject { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Escape(f.Explanation) } },
                new JsonObject { ["type"] = "context", ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = facts }) },
                new JsonObject
                {
                    ["type"] = "actions",
                    ["elements"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "button",
                        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Open finding" },
                        ["url"] = url,
                    }),
                }),
        };
    }

    private static string Verb(WebhookDelivery d) => d.Type switch
    {
        FindingEventType.Raised => "Suspected cause found",
        FindingEventType.Resolved => "Resolved",
        FindingEventType.Dismissed => "Dismissed",
        _ when d.Finding.Status == Correlation.FindingStatus.Confirmed => "Confirmed cause",
        _ => "Finding updated",
    };

    // Slack mrkdwn treats these three as control characters.
    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
