using Correlator.Embedded;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Correlator.Hosting;

/// <summary>
/// The PostgreSQL and Kafka a run uses: configured ones when <c>ConnectionStrings:Marten</c> /
/// <c>Kafka:BootstrapServers</c> are set, otherwise embedded ones this object starts and stops.
/// </summary>
public sealed class Infrastructure : IAsyncDisposable
{
    private EmbeddedPostgres? _postgres;
    private EmbeddedKafka? _kafka;

    public required string ConnectionString { get; init; }
    public required string BootstrapServers { get; init; }
    public EmbeddedKafka? EmbeddedKafka => _kafka;
    public bool PostgresIsEmbedded => _postgres is not null;

    /// <param name="broker">false: PostgreSQL only (the offline commands); the configured bootstrap servers, if any, are passed on.</param>
    public static async Task<Infrastructure> StartAsync(IConfiguration config, ILogger logger, string? dataDirectory = null, bool durable = true,
        CancellationToken ct = default, bool broker = true)
    {
        var kafkaOptions = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        EmbeddedPostgres? pg = null;
        EmbeddedKafka? kafka = null;
        try
        {
            var cs = config.GetConnectionString(StoreOptions.ConnectionStringName);
            if (string.IsNullOrWhiteSpace(cs))
            {
                pg = await EmbeddedPostgres.StartAsync(dataDirectory, durable, ct: ct);
                cs = await pg.EnsureDatabaseAsync("correlator", ct);
                logger.LogInformation("Embedded PostgreSQL on 127.0.0.1:{Port} (data {Dir})", pg.Port, pg.DataDirectory);
            }

            var bootstrap = kafkaOptions.BootstrapServers;
            if (string.IsNullOrWhiteSpace(bootstrap) && broker)
            {
                kafka = EmbeddedKafka.Start(kafkaOptions.EmbeddedBrokers);
                foreach (var topic in kafkaOptions.Topics.All) kafka.CreateTopic(topic, kafkaOptions.Partitions);
                bootstrap = kafka.BootstrapServers;
                logger.LogInformation("Embedded Kafka-protocol broker ({Brokers} brokers) at {Bootstrap}", kafka.BrokerCount, bootstrap);
            }

            return new Infrastructure { ConnectionString = cs, BootstrapServers = bootstrap ?? "", _postgres = pg, _kafka = kafka };
        }
        catch
        {
            kafka?.Dispose();
            if (pg is not null) await pg.DisposeAsync();
            throw;
        }
    }

    /// <summary>Configuration that points a host at this infrastructure.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsConfiguration()
    {
        yield return new($"ConnectionStrings:{StoreOptions.ConnectionStringName}", ConnectionString);
        if (BootstrapServers.Length > 0) yield return new($"{KafkaOptions.Section}:{nameof(KafkaOptions.BootstrapServers)}", BootstrapServers);
    }

    public async ValueTask DisposeAsync()
    {
        _kafka?.Dispose();
        _kafka = null;
        if (_postgres is not null) await _postgres.DisposeAsync();
        _postgres = null;
    }
}
