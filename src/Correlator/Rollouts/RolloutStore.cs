using Correlator.Api;
using Correlator.Findings;
using Marten;

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
        var hosts = await session.Query<FleetHost>().ToListAsync(ct);
        var findings = await session.Query<FindingView>().Where(f => f.Current.UpdateId == update.Id).ToListAsync(ct);
        return new RolloutGate(update.Id, update.Releases, update.RecalledAt, update.RecallReason,
            findings.Select(GateFindingOf).ToList(), hosts.OrderBy(h => h.Id, StringComparer.Ordinal).ToList(),
            // UpdateImpact keeps installation times, not when they were known: an installation counts from its own time.
            update.Installations.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => new HostExposure(i.Key, i.Value, i.Value)).ToList(), settings);
    }

    public static GateFinding GateFindingOf(FindingView f) => new(f.Id, f.DetectedAt,
        f.Current.Status == Correlation.FindingStatus.Dismissed ? f.History.LastOrDefault(h => h.Kind == Correlation.TransitionKind.Dismissed)?.At ?? f.UpdatedAt : null,
        f.Current.Confidence, f.Current.Explanation);
}
