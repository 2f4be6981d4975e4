using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// 12 June 2025. Source: Google Cloud Service Health, incident report "Multiple GCP products are experiencing Service
/// issues" (OSjPE6bKbQL2…, published 13-14 June 2025). On 29 May a Service Control release added a quota policy check
/// without a feature flag or error handling; it ran for two weeks without the path being used. At about 17:45 UTC on
/// 12 June a policy change with blank fields was written to the regional Spanner tables and replicated globally within
/// seconds; Service Control hit a null pointer and crash-looped in every region from ~17:49, and APIs behind it
/// (IAM, Cloud Storage, BigQuery…) returned 503. The red button was rolled out in ~40 minutes and most regions
/// recovered by ~18:30; us-central1 took until ~20:40 (thundering herd on its Spanner table).
/// </summary>
internal static class GoogleServiceControl2025
{
    public const string Name = "incident-2025-06-12-gcp-service-control";

    public static Scenario Generate()
    {
        var k = new IncidentKit(120625, IncidentKit.Utc(2025, 6, 11, 12, 0), IncidentKit.Utc(2025, 6, 13, 6, 0));
        string[] regions = ["us-central1", "us-east1", "europe-west1", "europe-west4", "asia-east1", "asia-northeast1"];
        var sc = k.Fleet("service-control", "linux", regions, ["6.6.72-gcp"], 180, "SC");
        k.Fleet("api-frontends", "linux", regions, ["6.6.72-gcp"], 120, "GFE");
        k.Services(["cloud-iam", "cloud-storage", "bigquery"], regions, transitionsOnly: true);
        k.Background();

        const string binary = "google/service-control/2025.05.29";
        k.Innocent(new UpdateReleased("", binary, "Google", "service-control", "2025.05.29", IncidentKit.Utc(2025, 5, 29, 16, 0), "application", ["linux"],
            new UpdateTargets(Fleets: ["service-control"]), [new Artifact("servicecontrol")]));
        const string policy = "google/service-control-policy/2025-06-12.1745";
        var change = IncidentKit.Utc(2025, 6, 12, 17, 45);
        k.Sink.Release(new UpdateReleased("", policy, "Google", "service-control-policy", "2025-06-12.1745", change, "config", null,
            new UpdateTargets(Regions: regions, Services: ["cloud-iam", "cloud-storage", "bigquery"]), null, ["servicecontrol"]));
        k.Culprit(policy);
        var crash = new CrashShape("linux", "user", "servicecontrol", Signal: "SIGSEGV", Process: "servicecontrol");
        DateTimeOffset Recovered(string region) => region == "us-central1" ? IncidentKit.Utc(2025, 6, 12, 20, 40) : IncidentKit.Utc(2025, 6, 12, 18, 25) + k.W.Minutes(0, 15);
        foreach (var h in sc.Hosts.Where(_ => k.W.Chance(0.7)))
        {
            var end = Recovered(h.Region);
            for (var t = IncidentKit.Utc(2025, 6, 12, 17, 49) + k.W.Minutes(0, 3); t < end; t += k.W.Minutes(8, 40)) k.Sink.Crash(h, t, crash, policy);
        }
        foreach (var where in k.W.Services)
            k.Sink.Episode(where, IncidentKit.Utc(2025, 6, 12, 17, 49) + k.W.Minutes(0, 6), Recovered(where.Region), k.W.Chance(0.5) ? "major_outage" : "partial_outage", policy);
        k.Sink.Recall(policy, IncidentKit.Utc(2025, 6, 12, 18, 10), "red button: policy check disabled");

        k.Innocent(new UpdateReleased("", "google/gfe/2025.06.11.3", "Google", "gfe", "2025.06.11.3", IncidentKit.Utc(2025, 6, 11, 20, 0), "application", ["linux"],
            new UpdateTargets(Fleets: ["api-frontends"]), [new Artifact("gfe")]));
        foreach (var h in k.W.Hosts.Where(h => h.Fleet == "api-frontends")) k.Sink.Install("google/gfe/2025.06.11.3", h, IncidentKit.Utc(2025, 6, 11, 20, 0) + k.W.Hours(0, 8));
        k.Innocent(new UpdateReleased("", "google/bigquery-config/2025-06-12.1600", "Google", "bigquery-config", "2025-06-12.1600", IncidentKit.Utc(2025, 6, 12, 16, 0), "config", null,
            new UpdateTargets(Regions: ["europe-west4"], Services: ["bigquery"])));
        return k.Build(Name, "A Service Control quota policy with blank fields, written at ~17:45Z on 12 June 2025 and replicated globally, crash-loops Service Control " +
                             "(null pointer) in every region from 17:49; IAM, Cloud Storage and BigQuery fail until ~18:30 (us-central1 until 20:40). Correct: the policy change " +
                             "is the culprit; the Service Control release of 29 May that carried the unguarded code path ran two weeks cleanly and is not (the trigger is the change), " +
                             "nor are a GFE release and a BigQuery config change in europe-west4.");
    }
}
