using System.Text.Json.Nodes;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Correlator.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Ingestion;

/// <summary>The ingest writer's own append path must be indistinguishable from Marten's, read back through Marten's API.</summary>
[Collection(IntegrationCollection.Name)]
public class SetBasedAppendTests
{
    private static CrashReported Crash(string id, string host) =>
        new(id, host, DateTimeOffset.Parse("2024-07-19T04:10:00Z"), "windows", "kernel", BugcheckCode: "0x50",
            FaultingModule: new ModuleRef("csagent.sys", "7.16.18605.0")) { ObservedAt = DateTimeOffset.Parse("2024-07-19T04:10:02Z") };

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, IDocumentStore Store)> OpenAsync()
    {
        var scope = (await TestServices.Instance).NewScope();
        var app = CorrelatorHost.Build(scope.Configuration(), logLevel: LogLevel.Warning);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return (app, store);
    }

    [Fact]
    public async Task Events_appended_set_based_read_back_through_Marten_like_its_own_appends()
    {
        var (app, store) = await OpenAsync();
        await using var _ = app;
        // A stream Marten started, then extended by the set-based path, then by Marten again.
        await using (var session = store.LightweightSession())
        {
            session.Events.Append("host/A", Crash("a1", "A"));
            await session.SaveChangesAsync();
        }
        var append = new SetBasedAppend(store);
        await using (var conn = store.Storage.Database.CreateConnection())
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await append.AppendAsync(conn, [new("host/A", Crash("a2", "A")), new("host/B", Crash("b1", "B")), new("host/A", Crash("a3", "A")),
                new("ingest/watermark", new IngestWatermarkAdvanced(DateTimeOffset.Parse("2024-07-19T04:10:00Z")))], default);
            await tx.CommitAsync();
        }
        await using (var session = store.LightweightSession())
        {
            session.Events.Append("host/A", Crash("a4", "A"));
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        var a = await query.Events.FetchStreamAsync("host/A");
        Assert.Equal([1L, 2L, 3L, 4L], a.Select(e => e.Version));
        Assert.Equal(["a1", "a2", "a3", "a4"], a.Select(e => ((CrashReported)e.Data).Id));
        Assert.Equal(Crash("a2", "A") with { }, (CrashReported)a[1].Data, new CrashComparer());
        Assert.Equal(4, (await query.Events.FetchStreamStateAsync("host/A"))!.Version);
        Assert.Equal(1, (await query.Events.FetchStreamStateAsync("host/B"))!.Version);
        var all = await query.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        // Sequence follows the order given; the watermark comes after the events it vouches for.
        Assert.Equal(["a1", "a2", "b1", "a3", "watermark", "a4"],
            all.Select(e => e.Data is CrashReported c ? c.Id : "watermark"));
        // Type names as Marten writes them (a1 and a4 are Marten's own appends).
        Assert.All(all.Where(e => e.Data is CrashReported), e => Assert.Equal((all[0].EventTypeName, all[0].DotNetTypeName), (e.EventTypeName, e.DotNetTypeName)));
        Assert.IsType<IngestWatermarkAdvanced>(all[4].Data);
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Marten_tables_need_no_column_the_writer_leaves_out()
    {
        var (app, store) = await OpenAsync();
        await using var _ = app;
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync();

        Assert.Empty(await new SetBasedAppend(store).UnwrittenRequiredColumnsAsync(conn, default));
        await new SetBasedAppend(store).CheckTableShapeAsync(default);
    }

    [Fact]
    public async Task A_required_column_the_writer_does_not_know_stops_it_with_the_column_named()
    {
        var (app, store) = await OpenAsync();
        await using var _ = app;
        await using (var conn = store.Storage.Database.CreateConnection())
        {
            await conn.OpenAsync();
            await using var alter = new Npgsql.NpgsqlCommand($"alter table {store.Options.Events.DatabaseSchemaName}.mt_events add column shard_key text not null", conn);
            await alter.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new SetBasedAppend(store).CheckTableShapeAsync(default));

        Assert.Contains("mt_events.shard_key", error.Message);
    }

    [Fact]
    public async Task Input_bodies_are_stored_as_bytes_with_the_JSON_Marten_writes_and_other_events_stay_jsonb()
    {
        var (app, store) = await OpenAsync();
        await using var _ = app;
        var crash = Crash("m1", "M");
        await using (var session = store.LightweightSession())
        {
            session.Events.Append("host/M", crash);
            await session.SaveChangesAsync();
        }
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await new SetBasedAppend(store).AppendAsync(conn, [new("host/M", crash with { Id = "m2" }),
                new("ingest/watermark", new IngestWatermarkAdvanced(DateTimeOffset.Parse("2024-07-19T04:10:00Z")))], default);
            await tx.CommitAsync();
        }

        var rows = new List<(string Type, string Data, string? Body)>();
        await using (var cmd = new Npgsql.NpgsqlCommand(
            $"select type, data::text, convert_from(bdata, 'UTF8') from {store.Options.Events.DatabaseSchemaName}.mt_events order by seq_id", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));

        Assert.Equal(3, rows.Count);
        // Marten's own append (m1) and the ingest writer's (m2) store the body the same way: bytes, jsonb left empty.
        var serializer = store.Options.Serializer();
        foreach (var (row, stored) in rows.Take(2).Zip([crash, crash with { Id = "m2" }]))
        {
            Assert.Equal("{}", row.Data);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(serializer.ToJson(stored)), JsonNode.Parse(row.Body!)), row.Body);
        }
        // The watermark is not an input: jsonb as before.
        Assert.Null(rows[2].Body);
        Assert.Contains("2024-07-19", rows[2].Data);
    }

    private sealed class CrashComparer : IEqualityComparer<CrashReported>
    {
        public bool Equals(CrashReported? x, CrashReported? y) =>
            x is not null && y is not null && x.Id == y.Id && x.HostId == y.HostId && x.OccurredAt == y.OccurredAt && x.ObservedAt == y.ObservedAt
            && x.BugcheckCode == y.BugcheckCode && x.FaultingModule == y.FaultingModule;

        public int GetHashCode(CrashReported obj) => obj.Id.GetHashCode();
    }
}
