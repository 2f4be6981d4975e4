using System.Net.Http.Headers;
using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Correlator.Alerts;

/// <summary>
/// Sends one attempt of a <see cref="WebhookDelivery"/> from the durable <c>alerts-webhooks</c> queue. A retry is the
/// same message with the next attempt number, scheduled in Wolverine's durable inbox; a give-up is a
/// <see cref="WebhookDeliveryFailed"/> event. Either commits in one transaction with this message being marked handled.
/// A request cut short by shutdown is requeued as the same attempt, so a crash mid-send means at most one repeat of a
/// request whose answer was never received; receivers dedupe on <c>Correlator-Delivery-Id</c> or the event id.
/// </summary>
public static class DeliverWebhookHandler
{
    public const string HttpClientName = "alerts-webhooks";

    public static async Task<OutgoingMessages> Handle(WebhookDelivery delivery, IOptions<AlertsOptions> alertOptions, IHttpClientFactory http,
        TimeProvider clock, IDocumentSession session, IHostApplicationLifetime lifetime, Telemetry.CorrelatorMetrics metrics, ILogger<WebhookDelivery> log, CancellationToken ct)
    {
        var options = alertOptions.Value;
        var next = new OutgoingMessages();
        var subscriber = AlertRelay.Find(options, delivery.Subscriber);
        if (subscriber is null)
        {
            log.LogWarning("Webhook {Subscriber} is no longer configured; dropping {Delivery}", delivery.Subscriber, delivery.DeliveryId);
            return next;
        }

        WebhookRequest request;
        try { request = WebhookRequest.For(subscriber, delivery, options, clock.GetUtcNow()); }
        catch (InvalidOperationException e)
        {
            DeadLetter(session, delivery, subscriber, null, "configuration: " + e.Message, clock);
            metrics.WebhookAttempt(delivery.Subscriber, "dead_lettered");
            log.LogWarning("Webhook {Delivery} dead-lettered: {Reason}", delivery.DeliveryId, e.Message);
            return next;
        }

        using var stoppingOrCancelled = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var outcome = await SendAsync(http.CreateClient(HttpClientName), request, options.Delivery.Timeout, clock, stoppingOrCancelled.Token);
        if (outcome is null)
        {
            // The host is stopping mid-request: the same attempt goes back to the durable inbox, scheduled a little later so
            // this stopping node does not spin on it; whichever node runs next sends it.
            log.LogInformation("Webhook {Delivery} attempt {Attempt} interrupted by shutdown; rescheduled", delivery.DeliveryId, delivery.Attempt);
            next.Delay(delivery, options.Delivery.InitialDelay);
            metrics.WebhookAttempt(delivery.Subscriber, "interrupted");
            return next;
        }
        var decision = WebhookRetry.Decide(delivery.Attempt, outcome, options.Delivery, Random.Shared.NextDouble());
        metrics.WebhookAttempt(delivery.Subscriber, decision switch
        {
            WebhookRetry.Retry => "retried",
            WebhookRetry.DeadLetter => "dead_lettered",
            _ => "delivered",
        });
        switch (decision)
        {
            case WebhookRetry.Retry retry:
                log.LogInformation("Webhook {Delivery} attempt {Attempt}: {Outcome}; retrying in {Delay}", delivery.DeliveryId, delivery.Attempt, outcome.Describe(), retry.Delay);
                next.Delay(delivery with { Attempt = delivery.Attempt + 1 }, retry.Delay);
                break;
            case WebhookRetry.DeadLetter dead:
                log.LogWarning("Webhook {Delivery} dead-lettered: {Reason}", delivery.DeliveryId, dead.Reason);
                DeadLetter(session, delivery, subscriber, outcome.Status, dead.Reason, clock);
                break;
        }
        return next;
    }

    private static void DeadLetter(IDocumentSession session, WebhookDelivery d, WebhookSubscriber subscriber, int? status, string reason, TimeProvider clock) =>
        session.Events.Append(WebhookDeliveryFailed.StreamKey(d.DeliveryId), new WebhookDeliveryFailed(
            d.DeliveryId, d.Subscriber, subscriber.Format, d.Finding.FindingId, d.EventId, d.Type, d.Attempt, status, reason, clock.GetUtcNow()));

    /// <summary>The outcome, or null when <paramref name="ct"/> (shutdown) interrupted the request.</summary>
    private static async Task<WebhookOutcome?> SendAsync(HttpClient client, WebhookRequest request, TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body) };
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
            foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return new WebhookOutcome((int)response.StatusCode, WebhookRetry.ParseRetryAfter(response.Headers.RetryAfter, clock.GetUtcNow()));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return WebhookOutcome.NoAnswer($"timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (HttpRequestException e)
        {
            return WebhookOutcome.NoAnswer(e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or UriFormatException or NotSupportedException or ArgumentException)
        {
            // A URL HttpClient cannot send to (empty, relative, another scheme) is a failed attempt, retried and in
            // the end dead-lettered like any other, not an exception in Wolverine's error queue that no one sees.
            return WebhookOutcome.NoAnswer($"{e.GetType().Name}: {e.Message}");
        }
    }
}
