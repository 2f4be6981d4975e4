using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// 18 November 2025. Source: Cloudflare blog, "Cloudflare outage on November 18, 2025" (18 Nov 2025). At 11:05 UTC a
/// change to ClickHouse database permissions made the query that builds the Bot Management feature file return
/// duplicate rows; the file doubled past the proxy's preallocated limit and the FL2 proxy panicked (Rust unwrap on the
/// error) wherever it loaded it, answering 5xx. The file is rebuilt every five minutes and only part of the cluster had
/// the change, so good and bad files alternated and the failures came and went from 11:20. Propagation of the file was
/// stopped and a known-good file pushed at 14:24-14:30 (core traffic back); everything was restored at 17:06.
/// </summary>
internal static class CloudflareBotManagement2025
{
    public const string Name = "incident-2025-11-18-cloudflare-bot-management";

    public static Scenario Generate()
    {
        var k = new IncidentKit(181125, IncidentKit.Utc(2025, 11, 17, 10, 0), IncidentKit.Utc(2025, 11, 19, 0, 0));
        string[] pops = ["iad", "ord", "lhr", "ams", "fra", "sin", "hkg", "gru"];
        var edge = k.Fleet("edge-metal", "linux", pops, ["6.12.41-cloudflare"], 260, "FL2");
        k.Services(["cdn-proxy"], pops, transitionsOnly: false, intervalMinutes: 5);
        k.Services(["workers-kv", "access", "turnstile"], ["global"], transitionsOnly: true);
        k.Background();

        const string change = "cloudflare/clickhouse-permissions/2025-11-18.1105";
        var at = IncidentKit.Utc(2025, 11, 18, 11, 5);
        k.Sink.Release(new UpdateReleased("", change, "Cloudflare", "clickhouse-permissions", "2025-11-18.1105", at, "config", null,
            new UpdateTargets(Services: ["cdn-proxy"]), null, ["bot-management-features", "fl2"]));
        k.Culprit(change);
        var goodFile = IncidentKit.Utc(2025, 11, 18, 14, 30);
        k.Sink.Recall(change, IncidentKit.Utc(2025, 11, 18, 14, 24), "bad feature file generation stopped; known-good file pushed");
        var panic = new CrashShape("linux", "user", "fl2", Signal: "SIGABRT", Process: "fl2");
        // Five-minute generations: bad files in most of them, good ones now and then, until the known-good file.
        for (var gen = IncidentKit.Utc(2025, 11, 18, 11, 20); gen < goodFile; gen += TimeSpan.FromMinutes(5))
        {
            if (k.W.Chance(0.3)) continue;
            foreach (var h in edge.Hosts.Where(_ => k.W.Chance(0.08))) k.Sink.Crash(h, gen + k.W.Minutes(0, 4), panic, change);
        }
        foreach (var pop in pops)
            k.Sink.Episode(k.Service("cdn-proxy", pop), IncidentKit.Utc(2025, 11, 18, 11, 20) + k.W.Minutes(0, 4), goodFile + k.W.Minutes(0, 20), k.W.Chance(0.6) ? "major_outage" : "partial_outage", change);
        k.Sink.Episode(k.Service("workers-kv", "global"), IncidentKit.Utc(2025, 11, 18, 11, 31), IncidentKit.Utc(2025, 11, 18, 13, 5), "major_outage", change);
        k.Sink.Episode(k.Service("access", "global"), IncidentKit.Utc(2025, 11, 18, 11, 35), IncidentKit.Utc(2025, 11, 18, 13, 5), "partial_outage", change);
        k.Sink.Episode(k.Service("turnstile", "global"), IncidentKit.Utc(2025, 11, 18, 11, 40), IncidentKit.Utc(2025, 11, 18, 17, 6), "partial_outage", change);

        k.Innocent(new UpdateReleased("", "cloudflare/waf-managed-rules/2025-11-18.0900", "Cloudflare", "waf-managed-rules", "2025-11-18.0900", IncidentKit.Utc(2025, 11, 18, 9, 0), "config", null,
            new UpdateTargets(Services: ["cdn-proxy"])));
        k.Innocent(new UpdateReleased("", "cloudflare/dashboard/2025.11.18.2", "Cloudflare", "dashboard", "2025.11.18.2", IncidentKit.Utc(2025, 11, 18, 10, 30), "application", null,
            new UpdateTargets(Services: ["dashboard"])));
        k.Innocent(new UpdateReleased("", "cloudflare/fl2/2025.11.17.1", "Cloudflare", "fl2", "2025.11.17.1", IncidentKit.Utc(2025, 11, 17, 15, 0), "application", ["linux"],
            new UpdateTargets(Fleets: ["edge-metal"]), [new Artifact("fl2")]));
        foreach (var h in edge.Hosts) k.Sink.Install("cloudflare/fl2/2025.11.17.1", h, IncidentKit.Utc(2025, 11, 17, 15, 0) + k.W.Hours(0, 5));
        return k.Build(Name, "A ClickHouse permissions change at 11:05Z on 18 Nov 2025 doubles the Bot Management feature file; from 11:20 the FL2 proxy panics (SIGABRT) " +
                             "wherever a bad generation lands, on and off every five minutes, and the CDN, Workers KV, Access and Turnstile fail until the known-good file (14:30). " +
                             "Correct: the permissions change is the culprit; the FL2 release of the day before (which ships the panicking binary), a WAF rules update and a dashboard deploy are not.");
    }
}
