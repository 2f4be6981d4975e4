using Correlator.Correlation;
using Correlator.Findings;
using Correlator.Ingestion;
using Marten;

namespace Correlator.Tests.Alerts;

/// <summary>Findings for alert tests, appended as transition events straight through Marten (no engine needed).</summary>
public static class AlertFindings
{
    public static readonly DateTimeOffset Night = new(2024, 7, 19, 4, 13, 5, TimeSpan.Zero);

    public static Finding Finding(string id, double confidence = 0.93, string status = FindingStatus.Suspected, int hosts = 120) => new(
        id, status, "crowdstrike/falcon-content/C-00000291-00000000-00000032", "CrowdStrike", "Falcon Sensor content", "C-00000291-00000000-00000032",
        confidence,
        [new FindingSignature("windows-kernel:0x00000050:csagent.sys", hosts * 2, hosts)],
        [new FindingService("Azure Virtual Machines", "eastus", "partial_outage")],
        new FindingEvidence(new DateTimeOffset(2024, 7, 19, 4, 9, 0, TimeSpan.Zero), null, "installations", 0.01, confidence,
            [new SignatureEvidence("windows-kernel:0x00000050:csagent.sys", Crashes: hosts * 2, Hosts: hosts, ExposedHosts: hosts, UnexposedHosts: 0,
                BaselineHosts: 1, BaselineHours: 24, ExposedHostHours: 1200, RateBefore: 0.042, RateAfter: 1200, Lift: 2857.1, RisePValue: 1e-40,
                ExposedFraction: 1, LogLikelihoodRatio: 92.1, OnsetDelayHours: 0.02, ModuleMatch: true, Module: "csagent.sys",
                MinutesFromExposureToFailure: 1.5, BayesFactor: 1e30, Posterior: confidence, StrongestAlternative: null, AlternativePosterior: 0)],
            []),
        $"CrowdStrike Falcon Sensor content C-00000291-00000000-00000032 (released 2024-07-19 04:09 UTC) is the probable cause of {hosts * 2} crashes on {hosts} Windows hosts (bugcheck 0x50 in csagent.sys, which the update affects) & <more>. Confidence {confidence:0.00}.",
        new DateTimeOffset(2024, 7, 19, 4, 10, 43, TimeSpan.Zero),
        Night);

    /// <summary>The usual life: raised, updated (hosts doubled), confirmed by an SRE, resolved after the recall.</summary>
    public static IFindingTransition[] Life(string id) =>
    [
        new FindingRaised(Finding(id), Night, 0),
        new FindingUpdated(Finding(id, 0.97, hosts: 240), Night.AddMinutes(3), 1),
        new FindingConfirmed(Finding(id, 0.97, FindingStatus.Confirmed, 240), Night.AddMinutes(9), 2),
        new FindingResolved(Finding(id, 0.97, FindingStatus.Resolved, 240), Night.AddMinutes(95), 3),
    ];

    public static async Task AppendAsync(IDocumentStore store, params IFindingTransition[] transitions)
    {
        await using var session = store.LightweightSession();
        foreach (var t in transitions) session.Events.Append(StreamKeys.Finding(t.Finding.FindingId), t);
        await session.SaveChangesAsync();
    }
}
