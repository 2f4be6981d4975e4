using Correlator.Cli;
using Correlator.Hosting;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Correlator.Replay;

/// <summary>
/// The service's configured event store for a maintenance command, without running the service: the store-only host
/// (<see cref="CorrelatorHost.BuildStoreOnly"/>: same Marten configuration and projections, no Wolverine, no broker) is
/// built but never started. PostgreSQL is the configured one, else the embedded one in <c>dataDirectory</c>; no broker
/// is started.
/// </summary>
public sealed class OfflineStore : IAsyncDisposable
{
    private readonly Infrastructure? _infrastructure;

    private OfflineStore(IHost app, string connectionString, Infrastructure? infrastructure)
    {
        App = app;
        ConnectionString = connectionString;
        _infrastructure = infrastructure;
    }

    public IHost App { get; }
    public string ConnectionString { get; }
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();
    public IDocumentStore Store => App.Services.GetRequiredService<IDocumentStore>();

    public static async Task<OfflineStore> OpenAsync(IConfiguration config, string? dataDirectory, ILogger log, CancellationToken ct)
    {
        var infra = await Infrastructure.StartAsync(config, log, dataDirectory, durable: true, ct, broker: false);
        try
        {
            var app = CorrelatorHost.BuildStoreOnly(config.AsEnumerable().Concat(infra.AsConfiguration()));
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
        new(CorrelatorHost.BuildStoreOnly(settings), settings[$"ConnectionStrings:{Hosting.StoreOptions.ConnectionStringName}"]!, null);

    public async ValueTask DisposeAsync()
    {
        if (App is IAsyncDisposable async) await async.DisposeAsync(); else App.Dispose();
        if (_infrastructure is not null) await _infrastructure.DisposeAsync();
    }
}
