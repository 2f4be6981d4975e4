using Correlator.Alerts;

namespace Correlator.Tests.Alerts;

public class WebhookConfigurationTests
{
    [Theory]
    [InlineData("", "Url must be an absolute http(s) URL")]
    [InlineData("/hooks/ce", "Url must be an absolute http(s) URL")]
    [InlineData("ftp://hooks.example.com/ce", "Url must be an absolute http(s) URL")]
    public void A_url_that_is_not_absolute_http_is_refused_at_start(string url, string problem)
    {
        var options = new AlertsOptions { Webhooks = [new WebhookSubscriber { Name = "ops", Url = url }] };
        var e = Assert.Throws<Correlator.Cli.ConfigurationProblem>(() => WebhookConfiguration.Check(options));
        Assert.Contains("Alerts:Webhooks:0 (ops): " + problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Blank_secrets_missing_routing_keys_and_unknown_formats_are_named()
    {
        var options = new AlertsOptions
        {
            Webhooks =
            [
                new WebhookSubscriber { Url = "https://a.example/x", Secret = " " },
                new WebhookSubscriber { Url = "https://b.example/x", Format = WebhookFormat.PagerDuty },
                new WebhookSubscriber { Url = "https://c.example/x", Format = "teams" },
            ],
        };
        Assert.Equal(
        [
            "Alerts:Webhooks:0: Secret is set but blank (remove it to send unsigned)",
            "Alerts:Webhooks:1: pagerduty needs a RoutingKey",
            "Alerts:Webhooks:2: Format must be cloudevents, slack or pagerduty (is 'teams')",
        ], WebhookConfiguration.Problems(options));
    }

    [Fact]
    public void A_valid_configuration_has_no_problems()
    {
        var options = new AlertsOptions { Webhooks = [new WebhookSubscriber { Url = "http://127.0.0.1:9/ce", Secret = "whsec" }] };
        Assert.Empty(WebhookConfiguration.Problems(options));
    }
}
