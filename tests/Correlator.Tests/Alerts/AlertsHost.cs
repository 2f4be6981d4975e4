using Correlator.Alerts;
using Correlator.Tests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Correlator.Tests.Alerts;

/// <summary>
/// One Correlator host and one webhook receiver shared by a test class. Subscribers: <c>ce</c> (cloudevents, signed),
/// <c>slack</c> (raised only, confidence ≥ 0.5) and <c>pd</c> (pagerduty), <c>std</c> (cloudevents, raised only, Standard Webhooks signature). Retry timings are shrunk so tests run fast.
/// </summary>
public sealed class AlertsHost : IAsyncLifetime
{
    public const int MaxAttempts = 3;

    public WebhookReceiver Receiver { get; private set; } = null!;
    public ServiceHost Host { get; private set; } = null!;
    public TestScope Scope { get; private set; } = null!;
    public string ApiBaseUrl { get; private set; } = "";

    public static Dictionary<string, string?> Settings(WebhookReceiver receiver) => new()
    {
        ["urls"] = "http://127.0.0.1:0",
        ["Alerts:PublicBaseUrl"] = "https://correlator.test",
        ["Alerts:Delivery:MaxAttempts"] = MaxAttempts.ToString(),
        ["Alerts:Delivery:InitialDelay"] = "00:00:00.100",
        ["Alerts:Delivery:MaxDelay"] = "00:00:00.400",
        // Short enough for a fast timeout test, long enough that a cold host on a busy machine does not time out a 200.
        ["Alerts:Delivery:Timeout"] = "00:00:02",
        ["Alerts:Delivery:SchedulerPollingInterval"] = "00:00:00.100",
        ["Alerts:Webhooks:0:Name"] = "ce",
        ["Alerts:Webhooks:0:Url"] = receiver.Url("ce"),
        ["Alerts:Webhooks:0:Secret"] = WebhookReceiver.Secret,
        ["Alerts:Webhooks:1:Name"] = "slack",
        ["Alerts:Webhooks:1:Url"] = receiver.Url("slack"),
        ["Alerts:Webhooks:1:Format"] = WebhookFormat.Slack,
        ["Alerts:Webhooks:1:EventTypes:0"] = FindingEventType.Raised,
        ["Alerts:Webhooks:1:MinConfidence"] = "0.5",
        ["Alerts:Webhooks:2:Name"] = "pd",
        ["Alerts:Webhooks:2:Url"] = receiver.Url("pd"),
        ["Alerts:Webhooks:2:Format"] = WebhookFormat.PagerDuty,
        ["Alerts:Webhooks:2:RoutingKey"] = "R0UT1NG",
        ["Alerts:Webhooks:3:Name"] = "std",
        ["Alerts:Webhooks:3:Url"] = receiver.Url("std"),
        ["Alerts:Webhooks:3:EventTypes:0"] = FindingEventType.Raised,
        ["Alerts:Webhooks:3:Secret"] = WebhookReceiver.StandardSecret,
        ["Alerts:Webhooks:3:Signature"] = WebhookSignatureScheme.Standard,
        ["Api:Keys:0:Name"] = "alerts-tests",
        ["Api:Keys:0:Role"] = Correlator.Api.ApiRoles.Reader,
        ["Api:Keys:0:Sha256"] = Correlator.Api.ApiKeyAuthentication.HashOf(ReaderKey),
    };

    /// <summary>The dead-letter list is behind the reader role.</summary>
    public const string ReaderKey = "alerts-reader-key";

    public async Task InitializeAsync()
    {
        Scope = (await TestServices.Instance).NewScope();
        Receiver = await WebhookReceiver.StartAsync();
        Host = await ServiceHost.StartAsync(Scope, Settings(Receiver));
        ApiBaseUrl = Host.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await WarmUpAsync();
    }

    /// <summary>
    /// One alert through the whole path before any test: the first request JITs both HTTP stacks, and on a busy machine
    /// that once outlasted the 2 s timeout, so a test's scripted first attempt never reached the receiver.
    /// </summary>
    private async Task WarmUpAsync()
    {
        var id = $"F-warmup-{Guid.NewGuid().ToString("N")[..8]}";
        await AlertFindings.AppendAsync(Host.Store, AlertFindings.Life(id)[0]);
        foreach (var path in new[] { "ce", "pd" })
            await Receiver.WaitAsync(path, id, r => r.Any(x => x.AnsweredWith == 200), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
