using System.Net.Http.Headers;
using Marten;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Correlator.Alerts;

/// <summary>
/// Sends one attempt of a <see cref="WebhookDelivery"/> from the durable <c>alerts-webhooks</c> queue. A retry is the
/// same message with the next attempt number, scheduled in Wolverine's durable inbox; a give-up is a
/// <see cref="WebhookDeliveryFailed"/> event. Either commits in one transaction with this message being marked handled.
/// </summary>
public static class DeliverWebhookHandler
{
    public const string HttpClientName = "alerts-webhooks";

    public static async Task<OutgoingMessages> Handle(WebhookDelivery delivery, IOptions<AlertsOptions> alertOptions, IHttpClientFactory http,
        TimeProvider clock, IDocumentSession session, ILogger<WebhookDelivery> log, CancellationToken ct)
    {
        var options = alertOptions.Value;
        var next = new OutgoingMessages();
        var subscriber = AlertRelay.Find(options, delivery.Subscriber);
        if (subscriber is null)
        {
            log.LogWarning("Webhook {Subscriber} is no longer configured; dropping {Delivery}", delivery.Subscriber, delivery.DeliveryId);
            return next;
        }

        var request = WebhookRequest.For(subscriber, delivery, options, clock.GetUtcNow());
        var outcome = await SendAsync(http.CreateClient(HttpClientName), request, options.Delivery.Timeout, clock, ct);
        switch (WebhookRetry.Decide(delivery.Attempt, outcome, options.Delivery, Random.Shared.NextDouble()))
        {
            case WebhookRetry.Retry retry:
                log.LogInformation("Webhook {Delivery} attempt {Attempt}: {Outcome}; retrying in {Delay}", delivery.DeliveryId, delivery.Attempt, outcome.Describe(), retry.Delay);
                next.Delay(delivery with { Attempt = delivery.Attempt + 1 }, retry.Delay);
                break;
            case WebhookRetry.DeadLetter dead:
                log.LogWarning("Webhook {Delivery} dead-lettered: {Reason}", delivery.DeliveryId, dead.Reason);
                session.Events.Append(WebhookDeliveryFailed.StreamKey(delivery.DeliveryId), new WebhookDeliveryFailed(
                    delivery.DeliveryId, delivery.Subscriber, subscriber.Format, delivery.Finding.FindingId, delivery.EventId, delivery.Type,
                    delivery.Attempt, outcome.Status, dead.Reason, clock.GetUtcNow()));
                break;
        }
        return next;
    }

    private static async Task<WebhookOutcome> SendAsync(HttpClient client, WebhookRequest request, TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body) };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType);
        foreach (var (name, value) in request.Headers) message.Headers.TryAddWithoutValidation(name, value);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return new WebhookOutcome((int)response.StatusCode, WebhookRetry.ParseRetryAfter(response.Headers.RetryAfter, clock.GetUtcNow()));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return WebhookOutcome.NoAnswer($"timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return WebhookOutcome.NoAnswer(e.Message);
        }
    }
}
