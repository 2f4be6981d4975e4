using System.Text;
using Correlator.Alerts;

namespace Correlator.Tests.Alerts;

public class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"id\":\"F-1/0\"}");
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeSeconds(1721362140);

    [Fact]
    public void The_header_is_stripe_style_and_matches_an_independent_hmac()
    {
        var header = WebhookSignature.Sign("s3cret", T, Body);

        // Computed independently: printf '1721362140.{"id":"F-1/0"}' | openssl dgst -sha256 -hmac s3cret
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(
            Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes("1721362140.{\"id\":\"F-1/0\"}")));
        Assert.Equal($"t=1721362140,v1={expected}", header);
        Assert.True(WebhookSignature.Verify("s3cret", header, Body, T.AddMinutes(4), WebhookSignature.DefaultWindow));
    }

    [Fact]
    public void Verify_rejects_a_changed_body_a_wrong_secret_a_replay_outside_the_window_and_garbage()
    {
        var header = WebhookSignature.Sign("s3cret", T, Body);
        var window = WebhookSignature.DefaultWindow;

        Assert.False(WebhookSignature.Verify("s3cret", header, Encoding.UTF8.GetBytes("{\"id\":\"F-1/1\"}"), T, window));
        Assert.False(WebhookSignature.Verify("other", header, Body, T, window));
        Assert.False(WebhookSignature.Verify("s3cret", header, Body, T.AddMinutes(5).AddSeconds(1), window));
        Assert.False(WebhookSignature.Verify("s3cret", header, Body, T.AddMinutes(-6), window));
        Assert.False(WebhookSignature.Verify("s3cret", null, Body, T, window));
        Assert.False(WebhookSignature.Verify("s3cret", "v1=abc", Body, T, window));
        Assert.False(WebhookSignature.Verify("s3cret", "t=1721362140,v1=zz", Body, T, window));
        // A second v1 (the receiver rotating secrets) is fine as long as one matches.
        Assert.True(WebhookSignature.Verify("s3cret", header.Replace("v1=", "v1=00,v1="), Body, T, window));
    }
}
