using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// 19-20 October 2025. Source: AWS, "Summary of the Amazon DynamoDB Service Disruption in the Northern Virginia (US-EAST-1)
/// Region" (23 Oct 2025). A latent race between two DNS Enactors of DynamoDB's DNS automation left the regional endpoint
/// with an empty record at 06:48 UTC (23:48 PDT on 19 Oct); DynamoDB API calls failed until 09:40 UTC. EC2 launches then
/// failed (DropletWorkflow Manager leases, then network propagation) until ~20:50 UTC; NLB health checks failed
/// 12:30-21:09 UTC; Lambda, STS and others were impaired along the way. No deployment or configuration change caused
/// it: no update is to blame. Nearby, ordinary changes: an agent rollout to us-east-1 instances an hour before, a flag
/// for us-east-1 the evening before, a change in us-west-2 minutes before.
/// </summary>
internal static class AwsDynamoDbDns2025
{
    public const string Name = "incident-2025-10-20-aws-dynamodb-dns";

    public static Scenario Generate()
    {
        var k = new IncidentKit(201025, IncidentKit.Utc(2025, 10, 19, 0, 0), IncidentKit.Utc(2025, 10, 21, 6, 0));
        string[] regions = ["us-east-1", "us-west-2", "eu-west-1"];
        var apps = k.Fleet("app-servers", "linux", regions, ["6.1.112-124.190.amzn2023.x86_64"], 240, "APP");
        k.Fleet("win-workers", "windows", regions, ["10.0.20348.2762"], 90, "WRK");
        k.Services(["DynamoDB", "EC2", "Lambda", "NLB"], regions, transitionsOnly: true);
        k.Services(["orders-api"], regions, transitionsOnly: false, intervalMinutes: 5);
        k.Background();

        k.Sink.Episode(k.Service("DynamoDB", "us-east-1"), IncidentKit.Utc(2025, 10, 20, 6, 48), IncidentKit.Utc(2025, 10, 20, 9, 40), "major_outage");
        k.Sink.Episode(k.Service("Lambda", "us-east-1"), IncidentKit.Utc(2025, 10, 20, 6, 55), IncidentKit.Utc(2025, 10, 20, 21, 15), "partial_outage");
        k.Sink.Episode(k.Service("EC2", "us-east-1"), IncidentKit.Utc(2025, 10, 20, 7, 10), IncidentKit.Utc(2025, 10, 20, 20, 50), "partial_outage");
        k.Sink.Episode(k.Service("NLB", "us-east-1"), IncidentKit.Utc(2025, 10, 20, 12, 30), IncidentKit.Utc(2025, 10, 20, 21, 9), "degraded");
        k.Sink.Episode(k.Service("orders-api", "us-east-1"), IncidentKit.Utc(2025, 10, 20, 6, 50), IncidentKit.Utc(2025, 10, 20, 10, 5), "major_outage");
        var abort = new CrashShape("linux", "user", "libjvm.so", Signal: "SIGABRT", Process: "java");
        foreach (var h in apps.Hosts.Where(h => h.Region == "us-east-1" && k.W.Chance(0.3)))
            k.Sink.Crash(h, IncidentKit.Utc(2025, 10, 20, 6, 50) + k.W.Minutes(0, 170), abort);

        var agent = "amazon/ssm-agent/3.3.2958.0";
        var rollout = IncidentKit.Utc(2025, 10, 20, 5, 30);
        k.Innocent(new UpdateReleased("", agent, "Amazon", "ssm-agent", "3.3.2958.0", rollout, "agent", ["linux"], new UpdateTargets(Regions: ["us-east-1"]), [new Artifact("amazon-ssm-agent")]));
        foreach (var h in apps.Hosts.Where(h => h.Region == "us-east-1")) k.Sink.Install(agent, h, rollout + k.W.Minutes(0, 50));
        k.Innocent(new UpdateReleased("", "internal/feature-flags/orders-batching-2025-10-19", "internal", "feature-flags", "orders-batching-2025-10-19", IncidentKit.Utc(2025, 10, 19, 19, 30), "config", null,
            new UpdateTargets(Regions: ["us-east-1"], Services: ["orders-api"])));
        k.Innocent(new UpdateReleased("", "internal/edge-routing/2025-10-20.0635", "internal", "edge-routing", "2025-10-20.0635", IncidentKit.Utc(2025, 10, 20, 6, 35), "config", null,
            new UpdateTargets(Regions: ["us-west-2"], Services: ["orders-api"])));
        return k.Build(Name, "DynamoDB's regional endpoint in us-east-1 loses its DNS record at 06:48Z on 20 Oct 2025 (a race in DNS automation): DynamoDB down until 09:40, " +
                             "then EC2 launches, Lambda and NLB impaired until ~21:00, orders-api down, Java services abort. Correct: no culprit; an SSM agent rollout to us-east-1 " +
                             "an hour before, an orders-api flag for us-east-1 the evening before and a routing change in us-west-2 minutes before are innocent.");
    }
}
