using Correlator.Correlation;
using Correlator.Ingestion.Events;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Correlator.Rollouts;

/// <summary>
/// The fleet's hosts as two plain tables, one row per host (<c>fleet_hosts</c>: what its latest crash report says it
/// is) and one per crash (<c>fleet_host_failures</c>), written by one upsert per crash report and never read back while
/// projecting. A document per host did the same work through Marten's aggregation (load, apply, serialize, upsert a
/// document per host per page) and was the slowest view to rebuild by far; see the decision record in README.md.
/// </summary>
public partial class FleetHostProjection : EventProjection, IJasperFxProjection<IDocumentOperations>
{
    public const string ProjectionName = "FleetHost", HostsTable = "fleet_hosts", FailuresTable = "fleet_host_failures";

    private readonly string _upsert;

    public FleetHostProjection(string schema)
    {
        Name = ProjectionName;
        SchemaObjects.Add(Hosts(schema));
        SchemaObjects.Add(Failures(schema));
        Options.DeleteDataInTableOnTeardown($"{schema}.{HostsTable}");
        Options.DeleteDataInTableOnTeardown($"{schema}.{FailuresTable}");
        // One statement a page: the page's crash reports as arrays. The newest report by event time sets a host's
        // attributes (a late, older report adds its failure and nothing else); the platform is the first one seen.
        _upsert =
            "with r as (select * from unnest(?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) " +
            "as r(crash_id, host_id, at, known, signature, platform, region, fleet, os_version, modules)), " +
            $"f as (insert into {schema}.{FailuresTable} (crash_id, host_id, at, known, signature) select crash_id, host_id, at, known, signature from r on conflict do nothing) " +
            $"insert into {schema}.{HostsTable} as h (host_id, platform, region, fleet, os_version, latest_report_at, modules) " +
            "select distinct on (host_id) host_id, platform, region, fleet, os_version, at, modules::jsonb from r order by host_id, at desc " +
            "on conflict (host_id) do update set platform = coalesce(h.platform, excluded.platform), " +
            "region = case when excluded.latest_report_at >= h.latest_report_at then coalesce(excluded.region, h.region) else h.region end, " +
            "fleet = case when excluded.latest_report_at >= h.latest_report_at then coalesce(excluded.fleet, h.fleet) else h.fleet end, " +
            "os_version = case when excluded.latest_report_at >= h.latest_report_at then coalesce(excluded.os_version, h.os_version) else h.os_version end, " +
            "modules = case when excluded.latest_report_at >= h.latest_report_at and excluded.modules is not null then excluded.modules else h.modules end, " +
            "latest_report_at = greatest(h.latest_report_at, excluded.latest_report_at)";
    }

    // Declares the event type the shard reads; the page is written by the set-based ApplyAsync below, never event by event.
    public void Project(CrashReported e, IDocumentOperations ops) =>
        throw new InvalidOperationException("FleetHostProjection writes a page at a time");

    Task IJasperFxProjection<IDocumentOperations>.ApplyAsync(IDocumentOperations ops, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var rows = events.Select(e => e.Data).OfType<CrashReported>().Select(c => (c, Row: FleetHostRow.Of(c))).ToList();
        if (rows.Count == 0) return Task.CompletedTask;
        ops.QueueSqlCommand(_upsert,
            rows.Select(x => x.c.Id).ToArray(), rows.Select(x => x.Row.HostId).ToArray(),
            rows.Select(x => x.Row.At).ToArray(), rows.Select(x => x.Row.Known).ToArray(),
            rows.Select(x => Signature.Of(x.c)).ToArray(), rows.Select(x => x.Row.Platform).ToArray(),
            rows.Select(x => x.Row.Region).ToArray(), rows.Select(x => x.Row.Fleet).ToArray(),
            rows.Select(x => x.Row.OsVersion).ToArray(), rows.Select(x => x.Row.ModulesJson).ToArray());
        return Task.CompletedTask;
    }

    private static Table Hosts(string schema)
    {
        var t = new Table(new PostgresqlObjectName(schema, HostsTable, SchemaUtils.IdentifierUsage.General));
        t.AddColumn<string>("host_id").AsPrimaryKey();
        t.AddColumn("platform", "text");
        t.AddColumn("region", "text");
        t.AddColumn("fleet", "text");
        t.AddColumn("os_version", "text");
        t.AddColumn("latest_report_at", "timestamptz").NotNull();
        t.AddColumn("modules", "jsonb");
        return t;
    }

    private static Table Failures(string schema)
    {
        var t = new Table(new PostgresqlObjectName(schema, FailuresTable, SchemaUtils.IdentifierUsage.General));
        t.AddColumn<string>("crash_id").AsPrimaryKey();
        t.AddColumn("host_id", "text").NotNull();
        t.AddColumn("at", "timestamptz").NotNull();
        t.AddColumn("known", "timestamptz").NotNull();
        t.AddColumn("signature", "text").NotNull();
        return t;
    }
}
