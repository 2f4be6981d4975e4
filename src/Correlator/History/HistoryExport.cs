using System.Buffers;
using System.Text.Json;
using Correlator.Hosting;
using Correlator.Ingestion.Events;
using Marten;
using Marten.Events;
using Npgsql;

namespace Correlator.Replay;

/// <summary>
/// Writes the input history of a store as a scenario file (contract: "Scenario files"), streaming from PostgreSQL to
/// the file. Lines are in knowledge-time order (the broker timestamp each message was stored with), ties broken by
/// event time, newest first, then message id: replaying the file with the scenario arrival rule (a line arrives at
/// the newest event time so far) gives every message the knowledge time it had, so an import reproduces the same
/// findings with the same ids and detection times. That holds for histories whose knowledge time never precedes
/// their event time, which is every history the backtest or a scenario produced; a message that arrived with an event
/// time in the future of its broker timestamp is placed by its knowledge time and re-imported at its event time.
/// Refused messages become <c>rawValue</c> lines with their original bytes, placed after the newest accepted
/// message stored before them. The sort runs in PostgreSQL (spilling to disk if needed), never in this process.
/// </summary>
public static class HistoryExport
{
    public sealed record Report(long Lines, long Messages, long Rejected, long InexactRejected);

    public static async Task<Report> ExportAsync(IDocumentStore store, Stream output, TopicNames topics, DateTimeOffset? from = null, DateTimeOffset? to = null,
        IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var types = store.Options.Events.AllKnownEventTypes().ToDictionary(t => t.EventType, t => t.EventTypeName);
        string Alias<T>() => types[typeof(T)];
        var byAlias = types.ToDictionary(t => t.Value, t => t.Key);
        var schema = store.Options.Events.DatabaseSchemaName;

        // (alias, knowledge-time field, event-time field) of each input; a knowledge stamp at its default means "not stamped".
        (string Alias, string Known, string Event)[] inputs =
            InputEvents.All.Select(i => (types[i.Type], i.KnownTimeField, i.EventTimeField)).ToArray();
        var known = string.Join(" ", inputs.Select(i =>
            $"when '{i.Alias}' then case when (data->>'{i.Known}')::timestamptz > '0001-01-02Z' then (data->>'{i.Known}')::timestamptz else (data->>'{i.Event}')::timestamptz end"));
        var eventTime = string.Join(" ", inputs.Select(i => $"when '{i.Alias}' then (data->>'{i.Event}')::timestamptz"));
        var sql = $"""
            with bodies as materialized (
                -- materialized: each body is parsed once, not once per reference below
                select seq_id, type, {EventBodies.BodySql} as data
                from {schema}.mt_events
                where type = any(@types)
            ), facts as (
                select seq_id, type, data,
                       case type {known} end as known,
                       case type {eventTime} end as event_time
                from bodies
            ), placed as (
                select seq_id, type, data, event_time, coalesce(known, max(known) over (order by seq_id)) as position
                from facts
            )
            select type, data from placed
            where (@from::timestamptz is null or position >= @from) and (@to::timestamptz is null or position <= @to)
            order by position nulls first, event_time desc nulls last, data->>'id', seq_id
            """;

        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.AddWithValue("types", inputs.Select(i => i.Alias).Append(Alias<MessageRejected>()).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)from?.ToUniversalTime() ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)to?.ToUniversalTime() ?? DBNull.Value });
        cmd.CommandTimeout = 0;

        var serializer = store.Options.Serializer();
        var contractTopic = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [topics.Crashes] = "crash-dumps", [topics.Status] = "service-status", [topics.Manifests] = "update-manifests",
        };
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ScenarioJson.Options.Encoder, SkipValidation = true });
        long lines = 0, messages = 0, rejected = 0, inexact = 0;
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var type = byAlias[reader.GetString(0)];
            var e = serializer.FromJson(type, reader, 1);
            if (e is MessageRejected r)
            {
                rejected++;
                if (!ScenarioJson.WriteRawLine(writer, contractTopic.GetValueOrDefault(r.Topic, r.Topic), r.OriginalKey(), Convert.FromBase64String(r.Value))) inexact++;
            }
            else
            {
                messages++;
                ScenarioJson.WriteLine(writer, e);
            }
            await writer.FlushAsync(ct);
            writer.Reset();
            buffer.Write("\n"u8);
            lines++;
            if (buffer.WrittenCount > 48 * 1024)
            {
                await output.WriteAsync(buffer.WrittenMemory, ct);
                buffer.Clear();
            }
            if (lines % 1000 == 0) progress?.Report(lines);
        }
        await output.WriteAsync(buffer.WrittenMemory, ct);
        await output.FlushAsync(ct);
        progress?.Report(lines);
        return new Report(lines, messages, rejected, inexact);
    }

    private static readonly Type[] Exported = [.. InputEvents.Types, typeof(MessageRejected)];

    /// <summary>How many lines an export will have (for a progress bar): the input events and rejections stored.</summary>
    public static async Task<long> CountAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypesAre(Exported))
            .LongCountAsync(ct);
    }
}
