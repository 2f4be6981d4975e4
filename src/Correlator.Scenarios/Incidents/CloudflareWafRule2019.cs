using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// 2 July 2019. Source: Cloudflare blog, "Details of the Cloudflare outage on July 2, 2019" (12 July 2019). At 13:42 UTC a
/// new WAF managed rule with a regular expression that backtracked catastrophically was deployed to every machine at
/// once (no staged rollout); CPU went to 100 % on every HTTP-serving core and the proxy answered 502 everywhere from
/// 13:43. The WAF was killed globally at 14:07, traffic was normal at 14:09, the WAF was back (without the rule) at 14:52.
/// No crash dumps: the proxies stayed up, exhausted.
/// </summary>
internal static class CloudflareWafRule2019
{
    public const string Name = "incident-2019-07-02-cloudflare-waf";

    public static Scenario Generate()
    {
        var k = new IncidentKit(20719, IncidentKit.Utc(2019, 7, 1, 14, 0), IncidentKit.Utc(2019, 7, 3, 0, 0));
        string[] pops = ["sjc", "iad", "lhr", "fra", "sin", "nrt", "gru", "syd"];
        k.Fleet("edge-metal", "linux", pops, ["4.19.43-cloudflare"], 240, "EDGE");
        k.Fleet("core", "linux", ["iad", "sjc"], ["4.19.43-cloudflare"], 40, "CORE");
        k.Services(["http-proxy"], pops, transitionsOnly: false, intervalMinutes: 5);
        k.Services(["dashboard"], ["global"], transitionsOnly: true);
        k.Background();

        const string rule = "cloudflare/waf-managed-rules/2019-07-02.1342";
        var deploy = IncidentKit.Utc(2019, 7, 2, 13, 42);
        k.Sink.Release(new UpdateReleased("", rule, "Cloudflare", "waf-managed-rules", "2019-07-02.1342", deploy, "config", null,
            new UpdateTargets(Services: ["http-proxy"]), null, ["http-proxy", "waf"]));
        k.Culprit(rule);
        k.Sink.Recall(rule, IncidentKit.Utc(2019, 7, 2, 14, 7), "WAF global kill");
        foreach (var pop in pops)
            k.Sink.Episode(k.Service("http-proxy", pop), deploy + k.W.Minutes(0.5, 2), IncidentKit.Utc(2019, 7, 2, 14, 9) + k.W.Minutes(0, 2), "major_outage", rule);
        k.Sink.Episode(k.Service("dashboard", "global"), IncidentKit.Utc(2019, 7, 2, 13, 52), IncidentKit.Utc(2019, 7, 2, 14, 12), "partial_outage", rule);

        k.Innocent(new UpdateReleased("", "cloudflare/dns-config/2019-07-02.1150", "Cloudflare", "dns-config", "2019-07-02.1150", IncidentKit.Utc(2019, 7, 2, 11, 50), "config", null,
            new UpdateTargets(Services: ["dns"])));
        k.Innocent(new UpdateReleased("", "cloudflare/proxy/2019.6.24", "Cloudflare", "proxy", "2019.6.24", IncidentKit.Utc(2019, 7, 1, 16, 0), "application", ["linux"],
            new UpdateTargets(Fleets: ["edge-metal"]), [new Artifact("nginx-fl")]));
        foreach (var h in k.W.Hosts.Where(h => h.Fleet == "edge-metal")) k.Sink.Install("cloudflare/proxy/2019.6.24", h, IncidentKit.Utc(2019, 7, 1, 16, 0) + k.W.Hours(0, 6));
        return k.Build(Name, "A WAF managed rule deployed globally at 13:42Z on 2 July 2019 exhausts CPU on every edge proxy: http-proxy is down in every PoP " +
                             "from a minute later until the global kill at 14:07. Correct: the rule is the culprit; a DNS config change two hours earlier and the previous day's proxy release are not.");
    }
}
