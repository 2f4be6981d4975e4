using Correlator.Tests.Support;

namespace Correlator.Tests.Alerts;

[Collection(IntegrationCollection.Name)]
public class AlertCrashRecoveryTests
{
    [Fact]
    public async Task A_host_stopped_after_the_transition_commits_but_before_sending_delivers_it_exactly_once_after_restart()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = $"F-crash-{Guid.NewGuid().ToString("N")[..8]}";
        string[] subscribers = ["ce", "slack", "pd"];
        var gates = subscribers.Select(_ => new WebhookReceiver.Gate(new TaskCompletionSource(), new TaskCompletionSource())).ToArray();
        for (var i = 0; i < subscribers.Length; i++) receiver.Script(subscribers[i], id, gates[i]);

        // First life: Kafka unreachable, and the webhook receiver holds each request without answering.
        var crashing = AlertsHost.Settings(receiver);
        crashing["Kafka:BootstrapServers"] = "127.0.0.1:1";
        crashing["Alerts:KafkaSendTimeout"] = "00:00:01";
        crashing["Alerts:Delivery:Timeout"] = "00:01:00";  // longer than the test: only the stop ends that request
        var first = await ServiceHost.StartAsync(scope, crashing);
        await AlertFindings.AppendAsync(first.Store, AlertFindings.Life(id)[0]);
        // The relay has committed (its outbox rows are what started these deliveries): stop mid-send.
        await Task.WhenAll(gates.Select(g => g.Arrived.Task)).WaitAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync();

        Assert.DoesNotContain(FindingsTopic.ReadUntil(scope.BootstrapServers, scope.Topics.Findings, _ => true), r => r.Key == id);
        Assert.All(subscribers, s => Assert.Equal([0], receiver.For(s, id).Select(r => r.AnsweredWith)));

        // Second life on the same schema, everything reachable.
        var restarted = AlertsHost.Settings(receiver);
        restarted["Alerts:Delivery:Timeout"] = "00:00:30";  // a cold host must not time out (and so repeat) an answered request
        // Wolverine recovers the stopped node's outbox rows on this poll. In 6.62 two polls whose recovery commands overlap
        // both load the unclaimed rows and both send them; at the delivery tests' 100 ms one CI run under the suite's load
        // saw the Kafka record twice, most likely that. The restart polls at 2 s, nearer the service's default of 5 s.
        restarted["Alerts:Delivery:SchedulerPollingInterval"] = "00:00:02";
        await using var second = await ServiceHost.StartAsync(scope, restarted);
        foreach (var s in subscribers) await receiver.WaitAsync(s, id, r => r.Any(x => x.AnsweredWith == 200));
        var records = FindingsTopic.ReadUntil(scope.BootstrapServers, scope.Topics.Findings, r => r.Any(x => x.Key == id));
        Assert.Equal([$"{id}/0"], records.Where(r => r.Key == id).Select(r => r.Id));

        // A sentinel proves nothing else was pending: it arrives, and the crashed transition is still there once.
        var sentinel = $"F-after-{Guid.NewGuid().ToString("N")[..8]}";
        await AlertFindings.AppendAsync(second.Store, AlertFindings.Life(sentinel)[0]);
        await receiver.WaitAsync("ce", sentinel, r => r.Count >= 1);
        var all = FindingsTopic.ReadUntil(scope.BootstrapServers, scope.Topics.Findings, r => r.Any(x => x.Key == sentinel));
        Assert.Single(all, r => r.Key == id);
        // Each subscriber: the request the stopped host never got an answer to, then exactly one delivery, same attempt and id.
        Assert.All(subscribers, s =>
        {
            var got = receiver.For(s, id);
            Assert.True(got.Select(r => r.AnsweredWith).SequenceEqual([0, 200]),
                s + ": " + string.Join(" | ", got.Select(r => $"{r.EventId}#{r.Attempt}->{r.AnsweredWith}@{r.At:HH:mm:ss.fff}")));
            Assert.All(got, r => Assert.Equal(($"{id}/0", 1), (r.EventId, r.Attempt)));
        });
    }
}
