using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Correlator.Alerts;
using Correlator.Findings;
using Correlator.Ingestion;
using Correlator.Tests.Support;
using Json.Schema;
using Marten;
using Marten.Events;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Correlator.Tests.Alerts;

/// <summary>Transitions appended to the store reach Kafka and the webhooks, once, through the outbox; failures retry or dead-letter.</summary>
[Collection(IntegrationCollection.Name)]
public class AlertDeliveryTests(AlertsHost fixture) : IClassFixture<AlertsHost>
{
    private WebhookReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task A_findings_life_is_published_once_per_transition_to_kafka_and_to_each_subscriber()
    {
        var id = NewId("life");
        var life = AlertFindings.Life(id);
        await AlertFindings.AppendAsync(fixture.Host.Store, life);

        var records = FindingsTopic.ReadUntil(fixture.Scope.BootstrapServers, fixture.Scope.Topics.Findings, r => r.Count(x => x.Key == id) >= 4)
            .Where(r => r.Key == id).ToList();
        Assert.Equal([$"{id}/0", $"{id}/1", $"{id}/2", $"{id}/3"], records.Select(r => r.Id));
        Assert.Single(records.Select(r => r.Partition).Distinct());  // keyed by findingId: one partition, in order
        Assert.All(records, r =>
        {
            Assert.Equal("application/cloudevents+json; charset=utf-8", r.ContentType);
            Assert.Equal("1.0", r.CloudEvent.GetProperty("specversion").GetString());
            Assert.Equal("urn:correlator", r.CloudEvent.GetProperty("source").GetString());
            Assert.Equal(id, r.Subject);
        });
        Assert.Equal([FindingEventType.Raised, FindingEventType.Updated, FindingEventType.Updated, FindingEventType.Resolved], records.Select(r => r.Type));
        Assert.Equal(life.Select(t => t.At), records.Select(r => r.CloudEvent.GetProperty("time").GetDateTimeOffset()));
        Assert.Equal(["suspected", "suspected", "confirmed", "resolved"], records.Select(r => r.CloudEvent.GetProperty("data").GetProperty("status").GetString()));
        var schema = Correlator.Ingestion.ContractSchemas.Build(Correlator.Ingestion.ContractSchemas.CorrelationFindings);
        Assert.All(records, r => Assert.True(schema.Evaluate(JsonNode.Parse(r.CloudEvent.GetProperty("data").GetRawText())).IsValid));

        var ce = await Receiver.WaitAsync("ce", id, r => r.Count >= 4);
        Assert.Equal(records.Select(r => r.Id), ce.Select(r => r.EventId).Order());
        Assert.All(ce, r => Assert.True(r.Signed && r.SignatureValid));
        Assert.All(ce, r => Assert.Equal("application/cloudevents+json; charset=utf-8", r.ContentType));
        var kafkaBody = records[0].CloudEvent.GetRawText();
        Assert.Equal(JsonNode.Parse(kafkaBody)!.ToJsonString(), JsonNode.Parse(ce.Single(r => r.EventId == $"{id}/0").Body)!.ToJsonString());

        var std = Assert.Single(await Receiver.WaitAsync("std", id, r => r.Count >= 1));
        Assert.True(std.Signed && std.SignatureValid, "the Standard Webhooks signature did not verify with the StandardWebhooks package");
        Assert.Equal($"{id}/0", std.EventId);

        var pd = await Receiver.WaitAsync("pd", id, r => r.Count >= 4);
        Assert.Equal(["trigger", "trigger", "trigger", "resolve"], pd.OrderBy(r => r.EventId, StringComparer.Ordinal)
            .Select(r => JsonNode.Parse(r.Body)!["event_action"]!.GetValue<string>()));
        Assert.All(pd, r => Assert.Equal(id, JsonNode.Parse(r.Body)!["dedup_key"]!.GetValue<string>()));

        var slack = await Receiver.WaitAsync("slack", id, r => r.Count >= 1);
        Assert.Contains($"https://correlator.test/findings/{id}", Encoding.UTF8.GetString(Assert.Single(slack).Body));

        // Nothing more arrives: a later finding's alerts come after all of these in the relay's order.
        await AssertQuietAfterSentinelAsync(id, kafkaCount: 4, ceCount: 4);
    }

    [Fact]
    public async Task Server_errors_and_a_timeout_are_retried_with_backoff_until_the_receiver_takes_it()
    {
        var id = NewId("flaky");
        Receiver.Script("ce", id, new WebhookReceiver.Status(500), new WebhookReceiver.Hang());
        await AlertFindings.AppendAsync(fixture.Host.Store, AlertFindings.Life(id)[0]);

        var got = await Receiver.WaitAsync("ce", id, r => r.Any(x => x.AnsweredWith == 200));
        Assert.Equal([1, 2, 3], got.Select(r => r.Attempt));
        Assert.Equal([500, 0, 200], got.Select(r => r.AnsweredWith));
        Assert.All(got, r => Assert.Equal($"{id}/0", r.EventId));
        Assert.All(got, r => Assert.True(r.SignatureValid));
        // The hang lasts the 2 s timeout, then the backoff of attempt 2 (100-200 ms) and the scheduler's poll.
        Assert.InRange((got[2].At - got[1].At).TotalMilliseconds, 2_050, 15_000);
        Assert.DoesNotContain(await DeadLettersAsync(), d => d.FindingId == id);
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        var id = NewId("429");
        Receiver.Script("ce", id, new WebhookReceiver.Status(429, RetryAfterSeconds: 1));
        await AlertFindings.AppendAsync(fixture.Host.Store, AlertFindings.Life(id)[0]);

        var got = await Receiver.WaitAsync("ce", id, r => r.Any(x => x.AnsweredWith == 200));
        Assert.Equal([429, 200], got.Select(r => r.AnsweredWith));
        Assert.InRange((got[1].At - got[0].At).TotalMilliseconds, 950, 10_000);  // backoff alone would be ≤ 100 ms
    }

    [Fact]
    public async Task A_4xx_is_not_retried_and_persistent_5xx_dead_letters_after_max_attempts_listed_by_the_api()
    {
        var rejected = NewId("400");
        var down = NewId("503");
        Receiver.Script("ce", rejected, new WebhookReceiver.Status(400));
        Receiver.Script("pd", down, Enumerable.Repeat<WebhookReceiver.Reply>(new WebhookReceiver.Status(503), AlertsHost.MaxAttempts).ToArray());
        await AlertFindings.AppendAsync(fixture.Host.Store, AlertFindings.Life(rejected)[0], AlertFindings.Life(down)[0]);

        var dead = await WaitForDeadLettersAsync(d => d.Any(x => x.FindingId == rejected) && d.Any(x => x.FindingId == down));
        var r = Assert.Single(dead, d => d.FindingId == rejected);
        Assert.Equal(("ce", "cloudevents", $"{rejected}/0", 1, 400), (r.Subscriber, r.Format, r.EventId, r.Attempts, r.LastStatus));
        Assert.Equal("HTTP 400 (client error, not retried)", r.Reason);
        var d5 = Assert.Single(dead, d => d.FindingId == down);
        Assert.Equal(("pd", "pagerduty", AlertsHost.MaxAttempts, 503), (d5.Subscriber, d5.Format, d5.Attempts, d5.LastStatus));
        Assert.Equal($"HTTP 503 after {AlertsHost.MaxAttempts} attempts", d5.Reason);

        Assert.Single(Receiver.For("ce", rejected));
        Assert.Equal(AlertsHost.MaxAttempts, Receiver.For("pd", down).Count);
        // The other subscribers of the same transitions were unaffected.
        await Receiver.WaitAsync("ce", down, x => x.Count == 1 && x[0].AnsweredWith == 200);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", AlertsHost.ReaderKey);
        var listed = await http.GetFromJsonAsync<JsonElement>($"{fixture.ApiBaseUrl}/api/alerts/dead-letters");
        var fromApi = listed.EnumerateArray().Where(e => e.GetProperty("findingId").GetString() is var f && (f == rejected || f == down)).ToList();
        Assert.Equal(2, fromApi.Count);
        Assert.Contains(fromApi, e => e.GetProperty("reason").GetString() == $"HTTP 503 after {AlertsHost.MaxAttempts} attempts" && e.GetProperty("subscriber").GetString() == "pd");
        Assert.DoesNotContain("R0UT1NG", listed.GetRawText());
        Assert.DoesNotContain(fixture.Receiver.BaseUrl, listed.GetRawText());

        // The CLI reads the same events from the store.
        var config = new ConfigurationBuilder().AddInMemoryCollection(fixture.Scope.Configuration()).Build();
        var table = new StringWriter();
        Assert.Equal(0, await Correlator.Cli.AlertsCommand.ListDeadLettersAsync(config, json: false, table));
        Assert.Contains($"pd (pagerduty)  correlator.finding.raised  {down}/0  after {AlertsHost.MaxAttempts} attempt(s): HTTP 503 after {AlertsHost.MaxAttempts} attempts", table.ToString());
        var cliJson = new StringWriter();
        Assert.Equal(0, await Correlator.Cli.AlertsCommand.ListDeadLettersAsync(config, json: true, cliJson));
        var fromCli = JsonDocument.Parse(cliJson.ToString()).RootElement.GetProperty("deadLetters").EnumerateArray().ToList();
        Assert.Contains(fromCli, e => e.GetProperty("deliveryId").GetString() == $"ce/{rejected}/0" && e.GetProperty("lastStatus").GetInt32() == 400);
    }

    [Fact]
    public async Task Rebuilding_the_finding_view_projection_sends_nothing_again()
    {
        var id = NewId("rebuild");
        await AlertFindings.AppendAsync(fixture.Host.Store, AlertFindings.Life(id));
        FindingsTopic.ReadUntil(fixture.Scope.BootstrapServers, fixture.Scope.Topics.Findings, r => r.Count(x => x.Key == id) >= 4);
        await Receiver.WaitAsync("ce", id, r => r.Count >= 4);

        var daemon = fixture.Host.Get<IProjectionCoordinator>().DaemonForMainDatabase();
        await daemon.RebuildProjectionAsync<FindingViewProjection>(CancellationToken.None);
        await fixture.Host.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        await using (var session = fixture.Host.Store.QuerySession())
            Assert.Equal(4, (await session.LoadAsync<FindingView>(id))!.History.Count);

        await AssertQuietAfterSentinelAsync(id, kafkaCount: 4, ceCount: 4);
    }

    /// <summary>
    /// Appends a new finding's transition and waits for it on both outputs. The relay publishes in store order, so a
    /// re-send of <paramref name="id"/>'s transitions would have been published before the sentinel.
    /// </summary>
    private async Task AssertQuietAfterSentinelAsync(string id, int kafkaCount, int ceCount)
    {
        var sentinel = NewId("sentinel");
        await AlertFindings.AppendAsync(fixture.Host.Store, AlertFindings.Life(sentinel)[0]);
        await Receiver.WaitAsync("ce", sentinel, r => r.Count >= 1);
        var all = FindingsTopic.ReadUntil(fixture.Scope.BootstrapServers, fixture.Scope.Topics.Findings, r => r.Any(x => x.Key == sentinel));
        Assert.Equal(kafkaCount, all.Count(r => r.Key == id));
        Assert.Equal(kafkaCount, all.Where(r => r.Key == id).Select(r => r.Id).Distinct().Count());
        Assert.Equal(ceCount, Receiver.For("ce", id).Count);
    }

    private async Task<IReadOnlyList<WebhookDeliveryFailed>> DeadLettersAsync()
    {
        await using var session = fixture.Host.Store.QuerySession();
        return await WebhookDeadLetters.ListAsync(session);
    }

    private async Task<IReadOnlyList<WebhookDeliveryFailed>> WaitForDeadLettersAsync(Func<IReadOnlyList<WebhookDeliveryFailed>, bool> done)
    {
        // Dead letters are rows in PostgreSQL; there is no signal to wait on, so poll them briefly.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var dead = await DeadLettersAsync();
            if (done(dead)) return dead;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"dead letters so far: {string.Join(", ", dead.Select(d => d.DeliveryId))}");
            await Task.Delay(100);
        }
    }

    private static string NewId(string what) => $"F-{what}-{Guid.NewGuid().ToString("N")[..8]}";
}
