using System.Diagnostics;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Correlator.Scenarios;
using Correlator.Tests.Alerts;
using Correlator.Tests.Support;
using Npgsql;

namespace Correlator.Tests.Hosting;

/// <summary>
/// Issue 20: three `serve` processes on one PostgreSQL and the embedded broker, one consumer group, HotCold daemons.
/// The July night is produced while one node is killed with SIGKILL and another joins. Afterwards the store holds
/// every message once, the findings of a one-node run of the same file (identical state and evidence), and that
/// run's alerts, each delivered once.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ClusterTests
{
    private static readonly string File = Corpus.Path("july-2024-small.ndjson");
    private const int Partitions = 6;
    /// <summary>The first node dies once this many messages are stored: mid-file, before the first finding.</summary>
    private const int StrikeAt = 800;

    [Fact]
    public async Task Three_nodes_one_killed_and_one_joining_store_everything_once_and_find_what_one_node_finds()
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        // The one-node run of the same file: what the cluster must reproduce.
        var single = (await TestServices.Instance).NewScope(Partitions);
        await using (var host = await ServiceHost.StartAsync(single, Settings(receiver, "single", cluster: false)))
        {
            await new ScenarioProducer(single.BootstrapServers, single.Topics).ProduceAsync(File);
            await CaughtUpAsync(single, []);
            await AlertsQuietAsync(receiver, "single", []); // delivered before this node stops, however loaded the host
        }
        var expected = await SnapshotAsync(single);
        Assert.NotEmpty(expected.Findings);

        var scope = (await TestServices.Instance).NewScope(Partitions);
        var settings = Settings(receiver, "cluster", cluster: true);
        var nodes = new List<Process> { ServiceProcess.Start(scope, settings), ServiceProcess.Start(scope, settings), ServiceProcess.Start(scope, settings) };
        try
        {
            var produced = new ScenarioProducer(scope.BootstrapServers, scope.Topics).ProduceAsync(File);
            await ServiceProcess.Until(async () => await StoredAsync(scope) >= StrikeAt, "the cluster to store some batches", nodes);
            var killed = nodes[0];
            killed.Kill(); // SIGKILL: no rebalance goodbye, no last commit, its daemon's leadership lost with its connections
            await killed.WaitForExitAsync();
            nodes.RemoveAt(0);
            var storedAtKill = await StoredAsync(scope);
            nodes.Add(ServiceProcess.Start(scope, settings)); // joins: the group rebalances onto it
            await produced;
            await CaughtUpAsync(scope, nodes);

            await AlertsQuietAsync(receiver, "cluster", nodes);
            await Task.Delay(3000); // a second delivery of any of them would have arrived by now
            var got = await SnapshotAsync(scope);
            Assert.InRange(storedAtKill, StrikeAt, expected.Inputs.Count - 1);
            Assert.DoesNotContain(got.Inputs, i => i.Value > 1); // nothing stored twice
            Assert.Equal(expected.Inputs.Keys.Order(), got.Inputs.Keys.Order()); // nothing lost, nothing invented
            // The findings of the one-node run: the same ids, states, confidences, evidence and detection minutes.
            Assert.Equal(expected.Findings, got.Findings);

            // Alerts: the one-node run's transitions (event ids are the finding's transition numbers), each delivered once.
            var singleAlerts = receiver.All("single");
            var clusterAlerts = receiver.All("cluster");
            Assert.NotEmpty(singleAlerts);
            Assert.All(clusterAlerts.GroupBy(r => r.EventId), g => Assert.Equal(1, g.Count(r => r.AnsweredWith == 200)));
            Assert.Equal(singleAlerts.Select(r => r.EventId).Distinct().Order(), clusterAlerts.Select(r => r.EventId).Distinct().Order());
            Console.WriteLine($"cluster: {got.Inputs.Count} messages stored once ({storedAtKill} when the first node was killed), " +
                              $"{got.Findings.Count} findings identical to one node's, " +
                              $"{clusterAlerts.Count} alert deliveries for {clusterAlerts.Select(r => r.EventId).Distinct().Count()} transitions");
        }
        finally
        {
            foreach (var n in nodes.Where(n => !n.HasExited)) n.Kill();
        }
    }

    /// <summary>Alerts delivered to <paramref name="path"/>, and no new one for five seconds.</summary>
    private static async Task AlertsQuietAsync(WebhookReceiver receiver, string path, IReadOnlyList<Process> nodes)
    {
        var (seen, quietSince) = (-1, DateTime.UtcNow);
        await ServiceProcess.Until(() =>
        {
            var n = receiver.All(path).Count;
            if (n != seen) (seen, quietSince) = (n, DateTime.UtcNow);
            return Task.FromResult(n > 0 && DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(5));
        }, $"the {path} run's alerts", nodes, TimeSpan.FromSeconds(90));
    }

    private static Dictionary<string, string?> Settings(WebhookReceiver receiver, string path, bool cluster)
    {
        var s = new Dictionary<string, string?>
        {
            ["Ingestion:BatchSize"] = "200",
            ["Alerts:Delivery:InitialDelay"] = "00:00:00.100",
            ["Alerts:Delivery:Timeout"] = "00:00:30",
            ["Alerts:Delivery:SchedulerPollingInterval"] = "00:00:02",
            ["Alerts:Webhooks:0:Name"] = path,
            ["Alerts:Webhooks:0:Url"] = receiver.Url(path),
            ["Alerts:Webhooks:0:Secret"] = WebhookReceiver.Secret,
        };
        if (cluster) s["Store:Daemon"] = "HotCold";
        return s;
    }

    private sealed record Snapshot(Dictionary<string, int> Inputs, List<string> Findings);

    /// <summary>Every input message stored (type/id → copies) and every finding as the page shows it, straight from PostgreSQL.</summary>
    private static async Task<Snapshot> SnapshotAsync(TestScope scope)
    {
        await using var conn = new NpgsqlConnection(scope.ConnectionString);
        await conn.OpenAsync();
        var inputs = new Dictionary<string, int>();
        var types = string.Join(",", InputEvents.Types.Select(t => $"'{Snake(t.Name)}'"));
        await using (var cmd = new NpgsqlCommand($"select type || '/' || (({EventBodies.BodySql})->>'id'), count(*)::int from {scope.Schema}.mt_events where type in ({types}) group by 1", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) inputs[r.GetString(0)] = r.GetInt32(1);
        var findings = new List<string>();
        // The finding's identity, state, confidence, evidence and the minute it was raised; not the wall-clock update time.
        await using (var cmd = new NpgsqlCommand(
                         $"select id::text, data->'current'->>'status', data->'current'->>'confidence', (data->'current'->'signatures')::text, " +
                         $"(data->'current'->'services')::text, data->'current'->>'detectedAt' from {scope.Schema}.mt_doc_findingview order by id", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                findings.Add(string.Join(" | ", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "null" : r.GetString(i))));
        return new Snapshot(inputs, findings);
    }

    private static string Snake(string name) => string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static async Task<long> StoredAsync(TestScope scope)
    {
        try
        {
            await using var conn = new NpgsqlConnection(scope.ConnectionString + ";Timeout=2");
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"select count(*) from {scope.Schema}.{IngestReceipts.TableName} where topic not like '%#rejected'", conn);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (PostgresException e) when (e.SqlState == "42P01") { return 0; } // before the first node created the schema
    }

    /// <summary>
    /// Every projection and subscription has processed every event, and stays so for a few seconds (the watermark's
    /// idle close and the findings it lets through have come and gone).
    /// </summary>
    private static async Task CaughtUpAsync(TestScope scope, IReadOnlyList<Process> nodes)
    {
        var since = (DateTime?)null;
        var state = "";
        try
        {
            await ServiceProcess.Until(async () =>
            {
                await using var conn = new NpgsqlConnection(scope.ConnectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand(
                    $"select coalesce(max(seq_id), 0) from {scope.Schema}.mt_events; " +
                    $"select name, last_seq_id from {scope.Schema}.mt_event_progression where name not like 'HighWater%' order by name", conn);
                await using var r = await cmd.ExecuteReaderAsync();
                await r.ReadAsync();
                var head = r.GetInt64(0);
                await r.NextResultAsync();
                var behind = new List<string>();
                var shards = 0;
                while (await r.ReadAsync())
                {
                    shards++;
                    if (r.GetInt64(1) < head) behind.Add($"{r.GetString(0)}@{r.GetInt64(1)}");
                }
                state = $"head {head}, {shards} shards, behind: {string.Join(", ", behind)}";
                var done = head > 0 && shards > 0 && behind.Count == 0;
                if (!done) { since = null; return false; }
                since ??= DateTime.UtcNow;
                return DateTime.UtcNow - since > TimeSpan.FromSeconds(8);
            }, "every projection to catch up", nodes, TimeSpan.FromMinutes(4));
        }
        catch (TimeoutException e) { throw new TimeoutException($"{e.Message} ({state})"); }
    }
}
