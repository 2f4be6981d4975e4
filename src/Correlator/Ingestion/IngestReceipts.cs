using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Correlator.Ingestion;

/// <summary>
/// The idempotency ledger: one row per (topic, message id) ever accepted, written in the same transaction
/// as the message's event. The key is the contract's <c>id</c>, never the Kafka offset, so a redelivery,
/// a producer retry or a replay into a kept store changes nothing, while a broker whose offsets started
/// again from zero loses nothing.
/// </summary>
public static class IngestReceipts
{
    public const string TableName = "ingest_receipts";

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("topic").AsPrimaryKey();
        table.AddColumn<string>("message_id").AsPrimaryKey();
        table.AddColumn("received_at", "timestamptz").NotNull();
        return table;
    }

    /// <summary>Inserts receipts and returns the keys that were new; the rest were already there.</summary>
    public static async Task<HashSet<(string Topic, string Id)>> ClaimAsync(
        NpgsqlConnection conn, string schema, IReadOnlyList<(string Topic, string Id)> keys, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var claimed = new HashSet<(string, string)>();
        if (keys.Count == 0) return claimed;
        await using var cmd = new NpgsqlCommand(
            $"insert into {schema}.{TableName} (topic, message_id, received_at) " +
            "select t, i, @at from unnest(@topics, @ids) as k(t, i) on conflict do nothing returning topic, message_id", conn);
        cmd.Parameters.Add(new NpgsqlParameter("topics", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Topic).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = keys.Select(k => k.Id).ToArray() });
        cmd.Parameters.AddWithValue("at", receivedAt);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) claimed.Add((reader.GetString(0), reader.GetString(1)));
        return claimed;
    }
}
