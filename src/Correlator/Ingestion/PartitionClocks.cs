using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Correlator.Ingestion;

/// <summary>
/// Every input partition's clock, per consumer group, written by the node that reads the partition in the same
/// transaction as the records it vouches for, and read by every node to compute the <see cref="GlobalWatermark"/>.
/// </summary>
public static class PartitionClocks
{
    public const string TableName = "ingest_partition_clocks";

    public static Table Table(string schema)
    {
        var table = new Table(new PostgresqlObjectName(schema, TableName, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("group_id").AsPrimaryKey();
        table.AddColumn<string>("topic").AsPrimaryKey();
        table.AddColumn<int>("partition").AsPrimaryKey();
        table.AddColumn("newest", "timestamptz");
        table.AddColumn("at_end_since", "timestamptz");
        table.AddColumn("next_offset", "bigint");
        table.AddColumn<string>("node").NotNull();
        table.AddColumn("updated_at", "timestamptz").NotNull();
        return table;
    }

    /// <summary>Stores this node's clocks (a partition's newest time never goes back) and returns the whole group's.</summary>
    public static async Task<List<PartitionClock>> SaveAndReadAsync(NpgsqlConnection conn, string schema, string group, string node,
        IReadOnlyList<PartitionClock> mine, CancellationToken ct)
    {
        if (mine.Count > 0)
        {
            await using var save = new NpgsqlCommand(
                $"insert into {schema}.{TableName} as c (group_id, topic, partition, newest, at_end_since, next_offset, node, updated_at) " +
                "select @group, t, p, n, e, o, @node, now() from unnest(@topics, @partitions, @newest, @ends, @next) as k(t, p, n, e, o) " +
                "on conflict (group_id, topic, partition) do update set newest = greatest(c.newest, excluded.newest), " +
                "at_end_since = excluded.at_end_since, next_offset = excluded.next_offset, node = excluded.node, updated_at = excluded.updated_at", conn);
            save.Parameters.AddWithValue("group", group);
            save.Parameters.AddWithValue("node", node);
            save.Parameters.Add(new NpgsqlParameter("topics", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = mine.Select(c => c.Topic).ToArray() });
            save.Parameters.Add(new NpgsqlParameter("partitions", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = mine.Select(c => c.Partition).ToArray() });
            save.Parameters.Add(new NpgsqlParameter("newest", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = mine.Select(c => (object?)c.Newest?.UtcDateTime ?? DBNull.Value).ToArray() });
            save.Parameters.Add(new NpgsqlParameter("ends", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = mine.Select(c => (object?)c.AtEndSince ?? DBNull.Value).ToArray() });
            save.Parameters.Add(new NpgsqlParameter("next", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = mine.Select(c => (object?)c.Next ?? DBNull.Value).ToArray() });
            await save.ExecuteNonQueryAsync(ct);
        }
        await using var read = new NpgsqlCommand(
            $"select topic, partition, newest, at_end_since, extract(epoch from now() - updated_at)::float8, next_offset from {schema}.{TableName} where group_id = @group", conn);
        read.Parameters.AddWithValue("group", group);
        var all = new List<PartitionClock>();
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            all.Add(new PartitionClock(reader.GetString(0), reader.GetInt32(1),
                reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                reader.IsDBNull(3) ? null : DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc),
                TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(4))),
                reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        return all;
    }
}
