using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Marten;
using Npgsql;

namespace Correlator.Backtest;

/// <summary>Counts read from the event store, the source of truth, not from in-process counters.</summary>
public static class StoreCounts
{
    public static async Task<long> AcceptedAsync(IDocumentStore store, IEnumerable<string> topics, CancellationToken ct)
    {
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"select count(*) from {store.Options.Events.DatabaseSchemaName}.{IngestReceipts.TableName} where topic = any(@topics)", conn);
        cmd.Parameters.AddWithValue("topics", topics.ToArray());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task<long> RejectedAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryRawEventDataOnly<MessageRejected>().LongCountAsync(ct);
    }
}
