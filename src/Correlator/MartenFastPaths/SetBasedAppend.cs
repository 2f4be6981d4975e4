using Marten;
using Marten.Events;
using Npgsql;
using NpgsqlTypes;

namespace Correlator.Ingestion;

/// <summary>
/// Appends a batch of events to Marten's event store tables in three set-based statements inside the caller's
/// transaction: lock-and-bump the streams (one upsert for every stream touched), draw the sequence numbers, write
/// the events (one binary <c>COPY</c> into <c>mt_events</c>).
/// <para>
/// Why not <c>session.Events.Append</c>: Marten's quick append calls <c>mt_quick_append_events</c> once per stream, and
/// that function loops over the events in PL/pgSQL (a <c>nextval</c> and an <c>insert</c> each); measured on this
/// 2-core machine it tops out near 12,000 events/s whatever the stream design, a fifth of what PostgreSQL takes by
/// COPY. This writes the same rows the function writes (same columns, sequence, versions, type names, tenant) with
/// the same guarantees: every row commits with the receipts in one transaction, sequence numbers are drawn inside
/// it (so the daemon's high-water mark treats them as it treats the function's), streams are locked by the upsert in
/// key order (concurrent writers queue instead of deadlocking). What Marten reads back is indistinguishable; the
/// tests check that against Marten's own API, and <see cref="CheckTableShapeAsync"/> fails at startup if a Marten upgrade
/// adds a required column this does not write.
/// </para>
/// </summary>
public sealed class SetBasedAppend
{
    private const string Tenant = JasperFx.StorageConstants.DefaultTenantId;
    // The columns written, once: the statements below and the start-up check both use these lists.
    private static readonly string[] StreamColumns = ["id", "type", "version", "timestamp", "created", "tenant_id", "is_archived"];
    private static readonly string[] EventColumns = ["seq_id", "id", "stream_id", "version", "data", "bdata", "type", "timestamp", "tenant_id", "mt_dotnet_type", "is_archived"];
    private readonly IDocumentStore _store;
    private readonly EventGraph _events;
    private readonly string _schema;

    public SetBasedAppend(IDocumentStore store)
    {
        _store = store;
        _events = (EventGraph)store.Options.Events;
        _schema = _events.DatabaseSchemaName;
    }

    public sealed record Row(string Stream, object Data);

    /// <summary>Appends <paramref name="rows"/> in this order (sequence numbers ascend with it).</summary>
    public async Task AppendAsync(NpgsqlConnection conn, IReadOnlyList<Row> rows, CancellationToken ct, StoreStages? stages = null)
    {
        if (rows.Count == 0) return;
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        // Each body goes to the column its type is mapped to (bytes in bdata for EventBodies types, jsonb otherwise).
        var serializer = _store.Options.Serializer();
        var data = new string?[rows.Count];
        var bdata = new byte[]?[rows.Count];
        var types = new string[rows.Count];
        var dotnetTypes = new string[rows.Count];
        Parallel.For(0, rows.Count, i =>
        {
            var mapping = _events.EventMappingFor(rows[i].Data.GetType());
            types[i] = mapping.EventTypeName;
            dotnetTypes[i] = mapping.DotNetTypeName;
            if (mapping.BinarySerializer is { } binary) bdata[i] = binary.Serialize(mapping.DocumentType, rows[i].Data);
            else data[i] = serializer.ToJson(rows[i].Data);
        });

        lap = stages?.Lap(StoreStages.Stage.Serialize, lap) ?? lap;
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows) counts[row.Stream] = counts.GetValueOrDefault(row.Stream) + 1;

        var next = new Dictionary<string, long>(counts.Count, StringComparer.Ordinal);
        await using (var streams = new NpgsqlCommand(
            $"insert into {_schema}.mt_streams ({string.Join(", ", StreamColumns)}) " +
            "select k, null, n, now(), now(), @tenant, false from unnest(@keys, @counts) as s(k, n) order by k " +
            $"on conflict (id) do update set version = {_schema}.mt_streams.version + excluded.version, timestamp = excluded.timestamp " +
            "returning id, version", conn))
        {
            streams.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = counts.Keys.ToArray() });
            streams.Parameters.Add(new NpgsqlParameter("counts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = counts.Values.Select(c => (long)c).ToArray() });
            streams.Parameters.Add(new NpgsqlParameter("tenant", NpgsqlDbType.Varchar) { Value = Tenant });
            await using var reader = await streams.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) next[reader.GetString(0)] = reader.GetInt64(1) - counts[reader.GetString(0)];
        }

        lap = stages?.Lap(StoreStages.Stage.Streams, lap) ?? lap;
        var sequences = new long[rows.Count];
        var now = default(DateTime);
        // now(): the transaction's time, which Marten's append function stamps its events with.
        await using (var draw = new NpgsqlCommand($"select nextval('{_schema}.mt_events_sequence'), now() from generate_series(1, @n)", conn))
        {
            draw.Parameters.Add(new NpgsqlParameter("n", NpgsqlDbType.Integer) { Value = rows.Count });
            await using var reader = await draw.ExecuteReaderAsync(ct);
            for (var i = 0; await reader.ReadAsync(ct); i++)
            {
                sequences[i] = reader.GetInt64(0);
                if (i == 0) now = reader.GetDateTime(1);
            }
        }
        Array.Sort(sequences);
        lap = stages?.Lap(StoreStages.Stage.Sequences, lap) ?? lap;

        var ids = new Guid[rows.Count];
        var keys = new string[rows.Count];
        var versions = new long[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            ids[i] = Guid.CreateVersion7();
            keys[i] = rows[i].Stream;
            versions[i] = ++next[rows[i].Stream];
        }

        // Binary COPY, not insert … select from unnest(@arrays): PostgreSQL received each batch's bodies as one array
        // parameter, copied it whole into the plan's constants (and the plan's copies) and faulted in fresh memory for
        // every copy; COPY streams the rows through a fixed buffer, in this order (seq_id ascending).
        await using var import = await conn.BeginBinaryImportAsync(
            $"copy {_schema}.mt_events ({string.Join(", ", EventColumns)}) from stdin (format binary)", ct);
        for (var i = 0; i < rows.Count; i++)
        {
            await import.StartRowAsync(ct);
            await import.WriteAsync(sequences[i], NpgsqlDbType.Bigint, ct);
            await import.WriteAsync(ids[i], NpgsqlDbType.Uuid, ct);
            await import.WriteAsync(keys[i], NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(versions[i], NpgsqlDbType.Bigint, ct);
            await import.WriteAsync(data[i] ?? "{}", NpgsqlDbType.Jsonb, ct);
            if (bdata[i] is { } bytes) await import.WriteAsync(bytes, NpgsqlDbType.Bytea, ct);
            else await import.WriteNullAsync(ct);
            await import.WriteAsync(types[i], NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            await import.WriteAsync(Tenant, NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(dotnetTypes[i], NpgsqlDbType.Varchar, ct);
            await import.WriteAsync(false, NpgsqlDbType.Boolean, ct);
        }
        await import.CompleteAsync(ct);
        stages?.Lap(StoreStages.Stage.Events, lap);
    }

    /// <summary>
    /// The columns of <c>mt_events</c> and <c>mt_streams</c> that must be written (not null, no default) and this does not
    /// write. Empty when the tables have the shape this was written for.
    /// </summary>
    public async Task<IReadOnlyList<string>> UnwrittenRequiredColumnsAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var written = EventColumns.Select(c => "mt_events." + c).Concat(StreamColumns.Select(c => "mt_streams." + c)).ToHashSet(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(
            "select table_name || '.' || column_name from information_schema.columns " +
            "where table_schema = @schema and table_name in ('mt_events', 'mt_streams') and is_nullable = 'NO' and column_default is null", conn);
        cmd.Parameters.AddWithValue("schema", _schema);
        var missing = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            if (!written.Contains(reader.GetString(0))) missing.Add(reader.GetString(0));
        return missing;
    }

    /// <summary>Throws if Marten's tables need a column this does not write (checked once at startup).</summary>
    public async Task CheckTableShapeAsync(CancellationToken ct)
    {
        await using var conn = _store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        var missing = await UnwrittenRequiredColumnsAsync(conn, ct);
        if (missing.Count > 0)
            throw new InvalidOperationException($"Marten's event tables need columns the ingest writer does not write: {string.Join(", ", missing)}. " +
                "Update Ingestion/SetBasedAppend.cs for this Marten version.");
    }
}
