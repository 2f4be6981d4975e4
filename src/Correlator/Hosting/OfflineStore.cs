using Correlator.Cli;
using Correlator.Hosting;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Replay;

/// <summary>
/// The service's configured event store for a maintenance command, without running the service: the host is built
/// (same Marten configuration, projections and subscriptions) but never started, so no Kafka consumer, no async
/// daemon and no Wolverine agent runs. PostgreSQL is the configured one, else the embedded one in <c>dataDirectory</c>.
/// </summary>
public sealed class OfflineStore : IAsyncDisposable
{
    private readonly Infrastructure? _infrastructure;

    private OfflineStore(WebApplication app, string connectionString, Infrastructure? infrastructure)
    {
        App = app;
        ConnectionString = connectionString;
        _infrastructure = infrastructure;
    }

    public WebApplication App { get; }
    public string ConnectionString { get; }
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();
    public IDocumentStore Store => App.Services.GetRequiredService<IDocumentStore>();

    public static async Task<OfflineStore> OpenAsync(IConfiguration config, string? dataDirectory, ILogger log, CancellationToken ct)
    {
        var infra = await Infrastructure.StartAsync(config, log, dataDirectory, durable: true, ct);
        try
        {
            var app = CorrelatorHost.Build(config.AsEnumerable().Concat(infra.AsConfiguration()), logLevel: LogLevel.Warning);
            var store = new OfflineStore(app, infra.ConnectionString, infra);
            await store.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            return store;
        }
        catch
        {
            await infra.DisposeAsync();
            throw;
        }
    }

    /// <summary>For tests: a store on settings that already name PostgreSQL (and a schema).</summary>
    public static OfflineStore Open(IReadOnlyDictionary<string, string?> settings) =>
        new(CorrelatorHost.Build(settings, logLevel: LogLevel.Warning), settings[$"ConnectionStrings:{Hosting.StoreOptions.ConnectionStringName}"]!, null);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        if (_infrastructure is not null) await _infrastructure.DisposeAsync();
    }
}
