using Correlator.Alerts;

namespace Correlator.Tests.Alerts;

public class WebhookRetryTests
{
    private static readonly WebhookDeliveryOptions Options = new()
    {
        MaxAttempts = 5, InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(20), MaxRetryAfter = TimeSpan.FromMinutes(1),
    };

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    [InlineData(204)]
    public void Success_is_done(int status) =>
        Assert.IsType<WebhookRetry.Delivered>(WebhookRetry.Decide(1, new WebhookOutcome(status), Options, 0.5));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    public void A_client_error_other_than_429_is_a_dead_letter_at_once(int status)
    {
        var dead = Assert.IsType<WebhookRetry.DeadLetter>(WebhookRetry.Decide(1, new WebhookOutcome(status), Options, 0.5));
        Assert.Contains($"HTTP {status}", dead.Reason);
    }

    [Fact]
    public void Server_errors_and_timeouts_back_off_exponentially_with_jitter_up_to_the_cap()
    {
        // Equal jitter: each delay lies in the upper half of min(initial * 2^(n-1), max).
        double[] ceilings = [2, 4, 8, 16];
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var low = Assert.IsType<WebhookRetry.Retry>(WebhookRetry.Decide(attempt, new WebhookOutcome(503), Options, 0)).Delay;
            var high = Assert.IsType<WebhookRetry.Retry>(WebhookRetry.Decide(attempt, WebhookOutcome.NoAnswer("timed out"), Options, 0.999999)).Delay;
            Assert.Equal(Math.Min(ceilings[attempt - 1], 20) / 2, low.TotalSeconds, 3);
            Assert.Equal(Math.Min(ceilings[attempt - 1], 20), high.TotalSeconds, 3);
        }
        Assert.Equal(20, WebhookRetry.Backoff(30, Options, 0.999999).TotalSeconds, 3);
    }

    [Fact]
    public void A_429_waits_for_Retry_After_clamped_and_backs_off_without_one()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), Assert.IsType<WebhookRetry.Retry>(WebhookRetry.Decide(1, new WebhookOutcome(429, TimeSpan.FromSeconds(7)), Options, 0.5)).Delay);
        Assert.Equal(TimeSpan.FromMinutes(1), Assert.IsType<WebhookRetry.Retry>(WebhookRetry.Decide(1, new WebhookOutcome(429, TimeSpan.FromHours(2)), Options, 0.5)).Delay);
        Assert.Equal(TimeSpan.FromSeconds(1.5), Assert.IsType<WebhookRetry.Retry>(WebhookRetry.Decide(1, new WebhookOutcome(429), Options, 0.5)).Delay);
    }

    [Fact]
    public void The_last_attempt_becomes_a_dead_letter_with_the_reason()
    {
        Assert.IsType<WebhookRetry.Retry>(WebhookRetry.Decide(4, new WebhookOutcome(500), Options, 0.5));
        var dead = Assert.IsType<WebhookRetry.DeadLetter>(WebhookRetry.Decide(5, new WebhookOutcome(500), Options, 0.5));
        Assert.Equal("HTTP 500 after 5 attempts", dead.Reason);
        Assert.Equal("no answer: timed out after 10 s after 5 attempts",
            Assert.IsType<WebhookRetry.DeadLetter>(WebhookRetry.Decide(5, WebhookOutcome.NoAnswer("timed out after 10 s"), Options, 0.5)).Reason);
    }

    [Fact]
    public void Retry_After_is_read_as_seconds_or_as_a_date()
    {
        var now = DateTimeOffset.Parse("2024-07-19T04:00:00Z");
        Assert.Equal(TimeSpan.FromSeconds(3), WebhookRetry.ParseRetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3)), now));
        Assert.Equal(TimeSpan.FromSeconds(30), WebhookRetry.ParseRetryAfter(new System.Net.Http.Headers.RetryConditionHeaderValue(now.AddSeconds(30)), now));
        Assert.Null(WebhookRetry.ParseRetryAfter(null, now));
    }
}
