using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Correlator.Telemetry;

/// <summary>
/// How far each async projection and subscription is behind the newest event: the newest sequence in the event
/// table minus the shard's stored progress. Read from the store, so every node sees the cluster's lag, whichever
/// node runs the daemon. <see cref="Latest"/> is the last measurement (for the gauge); the health check measures anew.
/// </summary>
public sealed class ProjectionLag(IServiceProvider services)
{
    // Resolved on use, not injected: the store's findings subscription counts through CorrelatorMetrics, whose gauge
    // reads this object, so taking the store in the constructor would make building the store build itself.
    private IDocumentStore Store => services.GetRequiredService<IDocumentStore>();

    private volatile IReadOnlyList<(string Shard, long Behind)> _latest = [];

    public IReadOnlyList<(string Shard, long Behind)> Latest => _latest;

    public async Task<IReadOnlyList<(string Shard, long Behind)>> MeasureAsync(CancellationToken ct)
    {
        var store = Store;
        var schema = store.Options.Events.DatabaseSchemaName;
        long newest;
        await using (var conn = store.Storage.Database.CreateConnection())
        {
            await conn.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {schema}.mt_events", conn);
            newest = (long)(await cmd.ExecuteScalarAsync(ct))!;
        }
        var progress = (await store.Advanced.AllProjectionProgress(token: ct))
            .Where(s => s.ShardName != "HighWaterMark")
            .ToDictionary(s => s.ShardName, s => s.Sequence, StringComparer.Ordinal);
        // A shard that never ran has no progress row: it is behind by everything.
        if (store is JasperFx.Events.IEventStore events)
            foreach (var name in events.RegisteredShardNames()) progress.TryAdd(name.Identity, 0);
        var lag = progress
            .Select(s => (s.Key, Math.Max(0, newest - s.Value)))
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        _latest = lag;
        return lag;
    }
}
