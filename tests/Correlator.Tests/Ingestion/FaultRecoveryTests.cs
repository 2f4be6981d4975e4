using System.Diagnostics;
using System.Text.Json;
using Correlator.Embedded;
using Correlator.Ingestion.Events;
using Correlator.Scenarios;
using Correlator.Tests.Support;
using Marten;
using Npgsql;

namespace Correlator.Tests.Ingestion;

/// <summary>
/// Issue 23: a scenario file (7,356 messages, 7,327 distinct ids, 29 redelivered lines, 8 malformed) ingested through a
/// fault in the middle of its batches, on a kept store: the service killed with SIGKILL, PostgreSQL restarted, every
/// broker down. Each ends with exactly the file's distinct ids stored once and its malformed lines rejected once.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class FaultRecoveryTests
{
    private static readonly string File = Corpus.Path("july-2024-small.ndjson");
    private static readonly Dictionary<string, string?> SmallBatches = new() { ["Ingestion:BatchSize"] = "100" };

    /// <summary>A fault strikes once this many messages are stored: well inside the file, with batches in flight.</summary>
    private const int StrikeAt = 1_500;

    [Fact]
    public async Task Kill_9_of_the_service_mid_batch_then_a_restart_loses_and_duplicates_nothing()
    {
        var scope = (await TestServices.Instance).NewScope();
        await new ScenarioProducer(scope.BootstrapServers, scope.Topics).ProduceAsync(File);

        using (var service = StartService(scope))
        {
            await Until(async () => await StoredCountAsync(scope.ConnectionString, scope.Schema) >= StrikeAt, "the service to store some batches", service);
            service.Kill(); // SIGKILL: no shutdown, no last commit
            await service.WaitForExitAsync();
        }
        var stored = await StoredCountAsync(scope.ConnectionString, scope.Schema);
        Assert.InRange(stored, StrikeAt, Expected.Ids.Count - 1);

        await using var host = await ServiceHost.StartAsync(scope, SmallBatches);
        await AssertExactlyTheFileAsync(host, scope.ConnectionString, scope.Schema);
    }

    [Fact]
    public async Task A_PostgreSQL_restart_mid_batch_loses_and_duplicates_nothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "correlator-restart-" + Guid.NewGuid().ToString("N")[..8]);
        var pg = await EmbeddedPostgres.StartAsync(dir, durable: true);
        try
        {
            var cs = await pg.EnsureDatabaseAsync("restart");
            var scope = (await TestServices.Instance).NewScope();
            var settings = new Dictionary<string, string?>(SmallBatches) { ["ConnectionStrings:Marten"] = cs };
            await new ScenarioProducer(scope.BootstrapServers, scope.Topics).ProduceAsync(File);

            await using var host = await ServiceHost.StartAsync(scope, settings);
            await Until(async () => await StoredCountAsync(cs, scope.Schema) >= StrikeAt, "some batches to be stored");
            var port = pg.Port;
            await pg.DisposeAsync(); // fast shutdown: the open transaction is rolled back, every connection dropped
            await Task.Delay(TimeSpan.FromSeconds(2));
            pg = await EmbeddedPostgres.StartAsync(dir, durable: true, port: port);

            await AssertExactlyTheFileAsync(host, cs, scope.Schema);
        }
        finally
        {
            await pg.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Every_broker_down_mid_batch_loses_and_duplicates_nothing()
    {
        using var kafka = EmbeddedKafka.Start(brokers: 3);
        var scope = (await TestServices.Instance).NewScope();
        foreach (var t in scope.Topics.All) kafka.CreateTopic(t, 3);
        var settings = new Dictionary<string, string?>(SmallBatches) { ["Kafka:BootstrapServers"] = kafka.BootstrapServers };
        await new ScenarioProducer(kafka.BootstrapServers, scope.Topics).ProduceAsync(File);

        await using var host = await ServiceHost.StartAsync(scope, settings);
        await Until(async () => await StoredCountAsync(scope.ConnectionString, scope.Schema) >= StrikeAt, "some batches to be stored");
        for (var b = 1; b <= kafka.BrokerCount; b++) kafka.SetBrokerDown(b);
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.InRange(await StoredCountAsync(scope.ConnectionString, scope.Schema), StrikeAt, Expected.Ids.Count - 1);
        for (var b = 1; b <= kafka.BrokerCount; b++) kafka.SetBrokerUp(b);

        await AssertExactlyTheFileAsync(host, scope.ConnectionString, scope.Schema);
    }

    /// <summary>What the file holds: distinct (topic, id) of its messages and its malformed lines.</summary>
    private static class Expected
    {
        public static readonly HashSet<(string Topic, string Id)> Ids = [];
        public static readonly int Malformed;

        static Expected()
        {
            foreach (var text in System.IO.File.ReadLines(File))
            {
                using var line = JsonDocument.Parse(text);
                var topic = line.RootElement.GetProperty("topic").GetString()!;
                if (line.RootElement.TryGetProperty("value", out var value)) Ids.Add((topic, value.GetProperty("id").GetString()!));
                else Malformed++;
            }
        }
    }

    private static async Task AssertExactlyTheFileAsync(ServiceHost host, string cs, string schema)
    {
        await Until(async () => await StoredCountAsync(cs, schema) >= Expected.Ids.Count
                                && await RejectionCountAsync(host.Store) >= Expected.Malformed, "the whole file to be stored", timeout: TimeSpan.FromSeconds(120));
        await Task.Delay(1000); // anything stored twice would be appended by now

        await using var session = host.Store.QuerySession();
        var stored = (await session.StoredAsync<CrashReported>()).Select(c => ("crash-dumps", c.Id))
            .Concat((await session.StoredAsync<ServiceStatusObserved>()).Select(s => ("service-status", s.Id)))
            .Concat((await session.StoredAsync<UpdateReleased>()).Select(r => ("update-manifests", r.Id)))
            .Concat((await session.StoredAsync<UpdateRecalled>()).Select(r => ("update-manifests", r.Id)))
            .Concat((await session.StoredAsync<UpdateInstalled>()).Select(r => ("update-manifests", r.Id)))
            .ToList();
        Assert.Equal(0, stored.Count - stored.Distinct().Count()); // duplicated
        Assert.Empty(Expected.Ids.Except(stored)); // lost
        Assert.Empty(stored.Except(Expected.Ids)); // invented
        Assert.Equal(Expected.Malformed, await RejectionCountAsync(host.Store));
        Assert.False(host.App.Lifetime.ApplicationStopping.IsCancellationRequested, "the host must keep running");
    }

    private static async Task<long> RejectionCountAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryRawEventDataOnly<MessageRejected>().LongCountAsync();
    }

    /// <summary>Messages stored so far (their receipts), read straight from PostgreSQL: 0 until the schema exists or while the server is down.</summary>
    private static async Task<long> StoredCountAsync(string cs, string schema)
    {
        try
        {
            await using var conn = new NpgsqlConnection(cs + ";Pooling=false;Timeout=2");
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"select count(*) from {schema}.{Correlator.Ingestion.IngestReceipts.TableName} where topic not like '%#rejected'", conn);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { return 0; }
    }

    private static Process StartService(TestScope scope) => ServiceProcess.Start(scope, SmallBatches);

    private static Task Until(Func<Task<bool>> condition, string what, Process? service = null, TimeSpan? timeout = null) =>
        ServiceProcess.Until(condition, what, service is null ? null : [service], timeout);
}
