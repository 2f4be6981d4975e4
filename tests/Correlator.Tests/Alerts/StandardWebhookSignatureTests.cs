using System.Text;
using Correlator.Alerts;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace Correlator.Tests.Alerts;

/// <summary>
/// <c>"Signature": "standard"</c>: what a subscriber receives passes the StandardWebhooks package's own verifier, as a
/// receiver built on it would run it; a changed body, another secret or an old timestamp do not.
/// </summary>
public class StandardWebhookSignatureTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static readonly AlertsOptions Options = new();

    private static WebhookRequest Request(WebhookSubscriber subscriber, DateTimeOffset now)
    {
        var t = AlertFindings.Life("F-std")[0];
        var delivery = AlertRelay.Deliveries(t, new AlertsOptions { Webhooks = [subscriber] }).Single();
        return WebhookRequest.For(subscriber, delivery, Options, now);
    }

    private static HeaderDictionary Headers(WebhookRequest request) =>
        new(request.Headers.ToDictionary(h => h.Key, h => new Microsoft.Extensions.Primitives.StringValues(h.Value)));

    [Fact]
    public void A_standard_delivery_passes_the_packages_verifier_and_a_tampered_one_does_not()
    {
        var subscriber = new WebhookSubscriber { Name = "std", Url = "https://hooks.example.com/std", Secret = Secret, Signature = "standard" };
        var request = Request(subscriber, DateTimeOffset.UtcNow);
        var body = Encoding.UTF8.GetString(request.Body);
        var headers = Headers(request);

        Assert.Equal("std/" + request.Headers.Single(h => h.Key == WebhookRequest.EventIdHeader).Value, headers["webhook-id"].ToString());
        Assert.StartsWith("v1,", headers["webhook-signature"].ToString());
        Assert.DoesNotContain(request.Headers, h => h.Key == WebhookSignature.Header);
        new StandardWebhook(Secret).Verify(body, headers); // throws when it does not verify

        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Secret).Verify(body.Replace("F-std", "F-other"), headers));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook("whsec_" + Convert.ToBase64String(new byte[24])).Verify(body, headers));
        var old = Request(subscriber, DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(Secret).Verify(Encoding.UTF8.GetString(old.Body), Headers(old)));
    }

    [Fact]
    public void The_default_stays_the_correlator_signature()
    {
        var request = Request(new WebhookSubscriber { Name = "c", Url = "https://hooks.example.com/c", Secret = Secret }, DateTimeOffset.UtcNow);
        Assert.Contains(request.Headers, h => h.Key == WebhookSignature.Header);
        Assert.DoesNotContain(request.Headers, h => h.Key == "webhook-signature");
    }

    [Theory]
    [InlineData("standard", "not base64 !", "base64 Secret")]
    [InlineData("pgp", Secret, "unknown Signature 'pgp'")]
    public void A_bad_secret_or_scheme_is_a_clear_error(string scheme, string secret, string message)
    {
        var subscriber = new WebhookSubscriber { Name = "x", Url = "https://hooks.example.com/x", Secret = secret, Signature = scheme };
        Assert.Contains(message, Assert.Throws<InvalidOperationException>(() => Request(subscriber, DateTimeOffset.UtcNow)).Message);
    }
}
