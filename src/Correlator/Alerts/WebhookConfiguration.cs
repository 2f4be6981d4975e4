namespace Correlator.Alerts;

/// <summary>Checks the configured webhooks at start: a subscriber that can never be reached should stop the start, not lose alerts later.</summary>
public static class WebhookConfiguration
{
    public static IReadOnlyList<string> Problems(AlertsOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var w = options.Webhooks[i];
            var name = $"Alerts:Webhooks:{i}" + (w.Name is { Length: > 0 } n ? $" ({n})" : "");
            if (!Uri.TryCreate(w.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                problems.Add($"{name}: Url must be an absolute http(s) URL (is '{w.Url}')");
            if (w.Format is not (WebhookFormat.CloudEvents or WebhookFormat.Slack or WebhookFormat.PagerDuty))
                problems.Add($"{name}: Format must be cloudevents, slack or pagerduty (is '{w.Format}')");
            if (w.Format == WebhookFormat.PagerDuty && string.IsNullOrWhiteSpace(w.RoutingKey))
                problems.Add($"{name}: pagerduty needs a RoutingKey");
            // An empty secret would sign with an empty key: treat a present-but-blank one as a mistake, not as "unsigned".
            if (w.Secret is not null && string.IsNullOrWhiteSpace(w.Secret))
                problems.Add($"{name}: Secret is set but blank (remove it to send unsigned)");
            if (w.MinConfidence is < 0 or > 1)
                problems.Add($"{name}: MinConfidence must be between 0 and 1 (is {w.MinConfidence})");
        }
        return problems;
    }

    public static void Check(AlertsOptions options)
    {
        var problems = Problems(options);
        if (problems.Count > 0) throw new Correlator.Cli.ConfigurationProblem("webhook configuration: " + string.Join("; ", problems));
    }
}
