using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// 8 June 2021. Source: Fastly blog, "Summary of June 8 outage" (Nick Rockwell, 8 June 2021). A software deployment that
/// began on 12 May introduced a bug triggered by one specific customer configuration. At 09:47 UTC on 8 June a customer
/// pushed a valid configuration with exactly that shape and 85 % of the network returned errors; monitoring saw it at
/// 09:48, the configuration was identified at 10:27, services recovered from 10:36 (most by 11:00), and the fix began
/// deploying at 17:25. The customer's configuration is not a vendor update: the manifests hold only the May deploy,
/// 27 days before the failures. The cache process faults in the module the deploy shipped.
/// </summary>
internal static class FastlyLatentBug2021
{
    public const string Name = "incident-2021-06-08-fastly";

    public static Scenario Generate()
    {
        var k = new IncidentKit(80621, IncidentKit.Utc(2021, 5, 11, 0, 0), IncidentKit.Utc(2021, 6, 9, 0, 0));
        string[] pops = ["lcy", "ams", "fra", "iad", "jfk", "sjc", "nrt", "syd"];
        var cache = k.Fleet("cache-nodes", "linux", pops, ["5.4.0-73-generic"], 200, "CACHE");
        k.Services(["cdn-edge"], pops, transitionsOnly: true);
        k.Background();

        const string deploy = "fastly/h2o-cache/2021.05.12";
        var start = IncidentKit.Utc(2021, 5, 12, 14, 0);
        k.Sink.Release(new UpdateReleased("", deploy, "Fastly", "h2o-cache", "2021.05.12", start, "application", ["linux"],
            new UpdateTargets(Fleets: ["cache-nodes"]), [new Artifact("libvcl_runtime.so")]));
        k.Culprit(deploy);
        foreach (var h in cache.Hosts) k.Sink.Install(deploy, h, start + k.W.Hours(0, 60));
        var trigger = IncidentKit.Utc(2021, 6, 8, 9, 47);
        var crash = new CrashShape("linux", "user", "libvcl_runtime.so", Signal: "SIGSEGV", Process: "h2o");
        foreach (var h in cache.Hosts.Where(_ => k.W.Chance(0.85)))
        {
            var end = IncidentKit.Utc(2021, 6, 8, 10, 36) + k.W.Minutes(0, 24);
            for (var t = trigger + k.W.Minutes(0, 1.5); t < end; t += k.W.Minutes(5, 25)) k.Sink.Crash(h, t, crash, deploy);
        }
        foreach (var pop in pops)
            k.Sink.Episode(k.Service("cdn-edge", pop), trigger + k.W.Minutes(0, 1), IncidentKit.Utc(2021, 6, 8, 10, 36) + k.W.Minutes(0, 24), "major_outage", deploy);
        k.Innocent(new UpdateReleased("", "fastly/h2o-cache/2021.06.08-fix", "Fastly", "h2o-cache", "2021.06.08-fix", IncidentKit.Utc(2021, 6, 8, 17, 25), "application", ["linux"],
            new UpdateTargets(Fleets: ["cache-nodes"]), [new Artifact("libvcl_runtime.so")], Supersedes: deploy));
        k.Innocent(new UpdateReleased("", "canonical/linux/USN-4982-1", "Canonical", "linux", "USN-4982-1", IncidentKit.Utc(2021, 6, 3, 10, 0), "os-patch", ["linux"], null, [new Artifact("vmlinuz")]));
        foreach (var h in cache.Hosts.Where(_ => k.W.Chance(0.5))) k.Sink.Install("canonical/linux/USN-4982-1", h, IncidentKit.Utc(2021, 6, 3, 12, 0) + k.W.Hours(0, 48));
        return k.Build(Name, "A cache software deploy of 12 May 2021 carries a latent bug; a valid customer configuration pushed at 09:47Z on 8 June triggers it and 85 % of the " +
                             "cache nodes fault in the module the deploy shipped (SIGSEGV in libvcl_runtime.so) while cdn-edge fails in every PoP until ~10:36-11:00. " +
                             "Correct: the May deploy is the culprit, 27 days after it (the trigger is not an update); the kernel update of 3 June and the fix of 17:25 are not.");
    }
}
