using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Correlator.Correlation;
using Marten;
using Npgsql;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Correlator.Findings;

/// <summary>
/// Checkpoints of the <see cref="FindingsSubscription"/>'s state (<see cref="FindingsState"/> as a <see cref="StateSnapshot"/>):
/// one row per checkpoint, keyed by the sequence of the page it follows, written in the same batch as that page's
/// transitions and progress, so a checkpoint never runs ahead of what is stored. The newest few are kept.
/// <see cref="Format"/> names the snapshot format and the correlation settings: a row of another format is ignored.
/// </summary>
public static class FindingsCheckpoints
{
    public const string TableName = "findings_checkpoints";

    /// <summary>Bump when the meaning of the state changes without its layout changing.</summary>
    private const int Version = 1;

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<long>("sequence").AsPrimaryKey();
        table.AddColumn("watermark", "timestamptz").NotNull();
        table.AddColumn<string>("format").NotNull();
        table.AddColumn("state", "bytea").NotNull();
        table.AddColumn("written_at", "timestamptz").NotNull();
        return table;
    }

    public static string Format(CorrelationSettings settings, bool windowed) =>
        $"v{Version};{(windowed ? "windowed" : "full")};" +
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(settings))))[..16];

    public sealed record Stored(long Sequence, DateTimeOffset Watermark, string Format, byte[] State);

    internal static void Queue(IDocumentOperations ops, long sequence, DateTimeOffset watermark, string format, byte[] state, int keep)
    {
        var table = $"{ops.DocumentStore.Options.DatabaseSchemaName}.{TableName}";
        ops.QueueSqlCommand($"insert into {table} (sequence, watermark, format, state, written_at) values (?, ?, ?, ?, now()) " +
                            "on conflict (sequence) do update set watermark = excluded.watermark, format = excluded.format, state = excluded.state, written_at = now()",
            sequence, watermark, format, state);
        ops.QueueSqlCommand($"delete from {table} where sequence not in (select sequence from {table} order by sequence desc limit ?)", keep);
    }

    /// <summary>The newest checkpoint at or below <paramref name="floor"/>, or null.</summary>
    public static async Task<Stored?> NewestAsync(IQuerySession session, long floor, CancellationToken ct)
    {
        var table = $"{session.DocumentStore.Options.DatabaseSchemaName}.{TableName}";
        // A subscription's session has no connection of its own to lend: read on one of the store's.
        await using var conn = session.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"select sequence, watermark, format, state from {table} where sequence <= @floor order by sequence desc limit 1", conn);
        cmd.Parameters.AddWithValue("floor", floor);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new Stored(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetFieldValue<byte[]>(3));
    }
}
