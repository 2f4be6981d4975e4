using Correlator.Api;
using Correlator.Findings;
using Marten;
using Npgsql;

namespace Correlator.Rollouts;

/// <summary>Reads what the gate and the blast radius need from the read models: the update, its findings, the fleet's hosts.</summary>
public static class RolloutStore
{
    /// <summary>
    /// The gate over the stored views. Loads every <see cref="FleetHost"/>, so a request costs O(fleet size): the
    /// comparison needs the unexposed hosts as much as the exposed ones.
    /// </summary>
    public static async Task<RolloutGate> GateAsync(IQuerySession session, UpdateImpact update, GateSettings settings, CancellationToken ct)
    {
        var hosts = await HostsAsync(session, ct);
        var findings = await session.Query<FindingView>().Where(f => f.Current.UpdateId == update.Id).ToListAsync(ct);
        return new RolloutGate(update.Id, update.Releases, update.RecalledAt, update.RecallReason,
            findings.Select(GateFindingOf).ToList(), hosts.OrderBy(h => h.Id, StringComparer.Ordinal).ToList(),
            // UpdateImpact keeps installation times, not when they were known: an installation counts from its own time.
            update.Installations.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => new HostExposure(i.Key, i.Value, i.Value)).ToList(), settings);
    }

    /// <summary>Every host of <c>fleet_hosts</c> with its failures, ordered by id.</summary>
    public static async Task<List<FleetHost>> HostsAsync(IQuerySession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var failures = new Dictionary<string, List<HostFailure>>(StringComparer.Ordinal);
        var hosts = new List<FleetHost>();
        var conn = session.Connection!;
        await using (var cmd = new NpgsqlCommand($"select host_id, at, known, signature from {schema}.{FleetHostProjection.FailuresTable}", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var id = r.GetString(0);
                if (!failures.TryGetValue(id, out var list)) failures[id] = list = [];
                list.Add(new HostFailure(r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3)));
            }
        await using (var cmd = new NpgsqlCommand(
            $"select host_id, platform, region, fleet, os_version, latest_report_at, modules::text from {schema}.{FleetHostProjection.HostsTable} order by host_id collate \"C\"", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
                var row = new FleetHostRow(r.GetString(0), S(1), S(2), S(3), S(4), r.GetFieldValue<DateTimeOffset>(5), default, S(6));
                hosts.Add(FleetHost.FromRow(row, failures.GetValueOrDefault(row.HostId) ?? []));
            }
        return hosts;
    }

    public static GateFinding GateFindingOf(FindingView f) => new(f.Id, f.DetectedAt,
        f.Current.Status == Correlation.FindingStatus.Dismissed ? f.History.LastOrDefault(h => h.Kind == Correlation.TransitionKind.Dismissed)?.At ?? f.UpdatedAt : null,
        f.Current.Confidence, f.Current.Explanation);
}
