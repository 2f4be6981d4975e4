using JasperFx.Events;
using JasperFx.Events.Aggregation;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Events;
using Marten.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Weasel.Storage;

namespace Correlator.Hosting;

/// <summary>
/// Reads the async daemon's pages of events without Marten's join to <c>mt_streams</c>, and each row's columns without
/// a task per column. Marten's loader joins every event to its stream only to fill <see cref="IEvent.AggregateTypeName"/>
/// from the stream's type; nothing here starts typed streams or reads that name. On 1M events the join was 60 % of a
/// page's time in PostgreSQL (46 ms against 19 ms for 5,000 installations); without it a rebuild cost PostgreSQL 4.7–4.9
/// CPU-seconds instead of 6.7–7.3.
/// <para>
/// A page is otherwise Marten's: the same columns, the same event types (with Marten's <see cref="Archived"/> and
/// <see cref="Compacted{T}"/> markers), archived events left out, <c>seq_id</c> order, the same ceiling. What this does
/// not do it leaves to Marten's own loader (<c>fallback</c>): a page that fails for any reason (a timeout, where Marten
/// steps through the sequence in smaller windows; an unknown or unreadable event, which Marten skips or dead-letters as
/// the shard's error options say) is loaded again by Marten's.
/// </para>
/// </summary>
internal sealed class EventPageLoader(IMartenDatabase database, ISelector<IEvent> events, IEventLoader fallback, ILogger logger, string sql,
    string[]? typeNames, int batchSize) : IEventLoader
{
    /// <summary>
    /// This loader for a shard whose pages it can read as Marten would, else Marten's loader itself: a shard filtered by
    /// stream type needs the join, and conjoined tenancy, per-tenant shards, archived-stream partitions and skipped events
    /// add predicates this loader does not write.
    /// </summary>
    public static IEventLoader For(DocumentStore store, IEventDatabase database, EventFilterable filtering, AsyncOptions shard, ShardName? name,
        IEventLoader fallback, ILogger logger)
    {
        var graph = (EventGraph)store.Options.Events;
        if (database is not IMartenDatabase martenDatabase || filtering.StreamType is not null || graph.TenancyStyle == TenancyStyle.Conjoined
            || graph.UseArchivedStreamPartitioning || graph.EnableEventSkippingInProjectionsOrSubscriptions
            || (graph.UseTenantPartitionedEvents && name?.TenantId is not null))
            return fallback;

        IEventStorage storage;
        using (var session = store.QuerySession()) storage = ((Marten.Internal.IMartenSession)session).EventStorage();

        var typeNames = TypeNames(graph, filtering);
        var schema = graph.DatabaseSchemaName;
        var sql = $"select {string.Join(", ", storage.SelectFields().Select(f => "d." + f))} from {schema}.mt_events as d"
            + " where d.seq_id > $1 and d.seq_id <= $2"
            + (typeNames is null ? "" : " and d.type = any($3)")
            + (filtering.IncludeArchivedEvents ? "" : " and d.is_archived = false")
            + $" order by d.seq_id limit {shard.BatchSize}";
        return new EventPageLoader(martenDatabase, storage, fallback, logger, sql, typeNames, shard.BatchSize);
    }

    /// <summary>
    /// The type names a shard's pages ask for, as Marten's loader names them (its markers included); null when the shard
    /// takes every type. Also what the sparse projections' index covers and what a rebuild's order counts.
    /// </summary>
    internal static string[]? TypeNames(EventGraph events, EventFilterable filtering)
    {
        var types = filtering.IncludedEventTypes;
        if (types.Count == 0 || types.Any(t => t.IsAbstract || t.IsInterface)) return null;
        IEnumerable<Type> all = [.. types, typeof(Archived)];
        if (filtering is IAggregateProjection aggregate) all = all.Append(typeof(Compacted<>).MakeGenericType(aggregate.AggregateType));
        return all.Select(t => events.EventMappingFor(t).Alias).Distinct().ToArray();
    }

    /// <summary>The statement a page runs (for tests).</summary>
    internal string Sql => sql;

    public async Task<EventPage> LoadAsync(EventRequest request, CancellationToken token)
    {
        try
        {
            // The daemon's loading span, as Marten's loader starts it (in JasperFx's ResilientEventLoader, whose retry
            // pipeline Marten 9.59 leaves empty; a page that fails is Marten's loader's, wrapper and all).
            using var loading = request.Metrics?.TrackLoading(request);
            return await LoadPageAsync(request, token);
        }
        catch (Exception e) when (!token.IsCancellationRequested)
        {
            logger.LogWarning(e, "Loading {Request} for {Shard} failed; Marten's loader takes the page", request, request.Name?.Identity);
            return await fallback.LoadAsync(request, token);
        }
    }

    private async Task<EventPage> LoadPageAsync(EventRequest request, CancellationToken token)
    {
        var page = new EventPage(request.Floor);
        // The primary, as Marten's loader reads: a replica behind it would return a short page, and a short page moves
        // the shard's ceiling to the high-water mark past the events it missed.
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(token);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = request.Floor, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = request.HighWater, NpgsqlDbType = NpgsqlDbType.Bigint });
        if (typeNames is not null)
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = typeNames, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });

        await using var reader = await command.ExecuteReaderAsync(token);
        // ReadAsync buffers the whole row (the reader is not sequential), so the columns are read without further waits.
        while (await reader.ReadAsync(token)) page.Add(events.Resolve(reader));

        page.CalculateCeiling(batchSize, request.HighWater);
        return page;
    }
}
