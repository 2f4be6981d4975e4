using Correlator.Embedded;
using Correlator.Hosting;

namespace Correlator.Tests.Support;

/// <summary>
/// One PostgreSQL and one Kafka-protocol broker for the whole test run, started on first use
/// (or taken from CORRELATOR_TEST_PG / CORRELATOR_TEST_KAFKA). Tests isolate their data with
/// <see cref="NewScope"/>: a fresh schema and fresh topic names each time, so nothing leaks between tests.
/// </summary>
public sealed class TestServices
{
    private static readonly Lazy<Task<TestServices>> Shared = new(StartAsync);
    private static int _counter;

    public static Task<TestServices> Instance => Shared.Value;

    public string ConnectionString { get; }
    public string BootstrapServers { get; }
    public EmbeddedKafka? Kafka { get; }
    public EmbeddedPostgres? Postgres { get; }

    private TestServices(string cs, string bootstrap, EmbeddedPostgres? pg, EmbeddedKafka? kafka)
    {
        ConnectionString = cs;
        BootstrapServers = bootstrap;
        Postgres = pg;
        Kafka = kafka;
    }

    private static async Task<TestServices> StartAsync()
    {
        var cs = Environment.GetEnvironmentVariable("CORRELATOR_TEST_PG");
        var bootstrap = Environment.GetEnvironmentVariable("CORRELATOR_TEST_KAFKA");
        EmbeddedPostgres? pg = null;
        EmbeddedKafka? kafka = null;
        if (string.IsNullOrWhiteSpace(cs))
        {
            pg = await EmbeddedPostgres.StartAsync(durable: false);
            cs = await pg.EnsureDatabaseAsync("correlator_tests");
        }
        if (string.IsNullOrWhiteSpace(bootstrap))
        {
            kafka = EmbeddedKafka.Start(3);
            bootstrap = kafka.BootstrapServers;
        }
        var services = new TestServices(cs, bootstrap, pg, kafka);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            kafka?.Dispose();
            pg?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        };
        return services;
    }

    /// <summary>A fresh, isolated slice of the shared services for one test.</summary>
    public TestScope NewScope(int partitions = 3)
    {
        var n = Interlocked.Increment(ref _counter);
        var suffix = $"{Environment.ProcessId}_{n}_{Guid.NewGuid().ToString("N")[..6]}";
        var topics = new TopicNames
        {
            Crashes = $"crash-dumps-{suffix}",
            Status = $"service-status-{suffix}",
            Manifests = $"update-manifests-{suffix}",
            Findings = $"correlation-findings-{suffix}",
        };
        if (Kafka is not null)
            foreach (var t in topics.All) Kafka.CreateTopic(t, partitions);
        return new TestScope(this, $"t_{suffix}", topics, $"group-{suffix}", partitions);
    }
}

public sealed record TestScope(TestServices Services, string Schema, TopicNames Topics, string GroupId, int Partitions)
{
    public string ConnectionString => Services.ConnectionString;
    public string BootstrapServers => Services.BootstrapServers;

    /// <summary>Configuration that points a Correlator host at this scope.</summary>
    public Dictionary<string, string?> Configuration() => new()
    {
        ["ConnectionStrings:Marten"] = ConnectionString,
        ["Kafka:BootstrapServers"] = BootstrapServers,
        ["Kafka:GroupId"] = GroupId,
        ["Kafka:Topics:Crashes"] = Topics.Crashes,
        ["Kafka:Topics:Status"] = Topics.Status,
        ["Kafka:Topics:Manifests"] = Topics.Manifests,
        ["Kafka:Topics:Findings"] = Topics.Findings,
        ["Store:Schema"] = Schema,
        // Any free loopback port: test hosts must not collide with each other or with a running service.
        ["urls"] = "http://127.0.0.1:0",
    };
}
