namespace Correlator.Alerts;

/// <summary>How one attempt ended: an HTTP status (with any <c>Retry-After</c>), or no answer at all.</summary>
public sealed record WebhookOutcome(int? Status, TimeSpan? RetryAfter = null, string? Error = null)
{
    public static WebhookOutcome NoAnswer(string error) => new(null, null, error);
    public bool Succeeded => Status is >= 200 and < 300;
    public string Describe() => Status is { } s ? $"HTTP {s}" + (Error is null ? "" : $": {Error}") : $"no answer: {Error}";
}

/// <summary>
/// What to do after an attempt. Pure: the caller supplies <paramref name="jitter"/> in [0, 1).
/// 2xx: done. 429: retry after <c>Retry-After</c> (clamped), else backoff. Other 4xx: dead letter at once (the
/// request itself is wrong; resending it cannot help). 5xx, 3xx, timeouts, refused connections: retry with
/// exponential backoff and jitter. After <see cref="WebhookDeliveryOptions.MaxAttempts"/> attempts: dead letter.
/// </summary>
public static class WebhookRetry
{
    public abstract record Decision;
    public sealed record Delivered : Decision;
    public sealed record Retry(TimeSpan Delay) : Decision;
    public sealed record DeadLetter(string Reason) : Decision;

    public static Decision Decide(int attempt, WebhookOutcome outcome, WebhookDeliveryOptions options, double jitter)
    {
        if (outcome.Succeeded) return new Delivered();
        if (outcome.Status is >= 400 and < 500 and not 429)
            return new DeadLetter($"{outcome.Describe()} (client error, not retried)");
        if (attempt >= options.MaxAttempts)
            return new DeadLetter($"{outcome.Describe()} after {attempt} attempt{(attempt == 1 ? "" : "s")}");
        if (outcome.Status == 429 && outcome.RetryAfter is { } after)
            return new Retry(after < TimeSpan.Zero ? TimeSpan.Zero : after > options.MaxRetryAfter ? options.MaxRetryAfter : after);
        return new Retry(Backoff(attempt, options, jitter));
    }

    /// <summary>Initial × 2^(attempt-1), capped, then "equal jitter": a random point in its upper half.</summary>
    public static TimeSpan Backoff(int attempt, WebhookDeliveryOptions options, double jitter)
    {
        var exponential = options.InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = Math.Min(exponential, options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped / 2 + capped / 2 * jitter);
    }

    /// <summary><c>Retry-After</c> as delay-seconds or an HTTP date.</summary>
    public static TimeSpan? ParseRetryAfter(System.Net.Http.Headers.RetryConditionHeaderValue? header, DateTimeOffset now) =>
        header?.Delta ?? (header?.Date is { } date ? date - now : null);
}
