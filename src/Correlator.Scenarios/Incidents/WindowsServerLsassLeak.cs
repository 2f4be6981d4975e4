using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// March 2024. Source: Microsoft Windows release health, "Domain controllers might restart unexpectedly / LSASS memory
/// leak" (known issue, 21-22 March 2024) and the out-of-band updates KB5037422 (Server 2022) of 22 March 2024. The
/// 12 March cumulative update for Windows Server 2022 (KB5035857) made lsass.exe leak memory on domain controllers
/// under Kerberos load; days later lsass died and the DCs restarted (critical process died, bugcheck 0xEF, which other
/// causes also produce). Member servers with the same update were fine. Installed in the Patch Tuesday window on
/// 12-13 March together with the servicing stack update (same hosts, same minutes).
/// </summary>
internal static class WindowsServerLsassLeak
{
    public const string Name = "incident-2024-03-kb5035857-lsass";

    public static Scenario Generate()
    {
        var k = new IncidentKit(120324, IncidentKit.Utc(2024, 3, 11, 0, 0), IncidentKit.Utc(2024, 3, 20, 0, 0));
        string[] regions = ["hq-east", "hq-west"];
        var dcs = k.Fleet("domain-controllers", "windows", regions, ["10.0.20348.2340"], 36, "DC");
        var members = k.Fleet("member-servers", "windows", regions, ["10.0.20348.2340"], 240, "SRV");
        k.Fleet("linux-apps", "linux", regions, ["5.14.0-362.18.1.el9_3.x86_64"], 80, "APP");
        k.Services(["active-directory", "file-services"], regions, transitionsOnly: false, intervalMinutes: 30);
        k.Background();

        const string cu = "microsoft/windows-cu/KB5035857";
        const string ssu = "microsoft/servicing-stack/KB5035970";
        var patch = IncidentKit.Utc(2024, 3, 12, 17, 0);
        k.Sink.Release(new UpdateReleased("", cu, "Microsoft", "windows-cu", "KB5035857", patch, "os-patch", ["windows"],
            new UpdateTargets(OsVersions: ["10.0.20348"]), [new Artifact("lsasrv.dll"), new Artifact("kerberos.dll"), new Artifact("ntoskrnl.exe")]));
        k.Culprit(cu);
        k.Innocent(new UpdateReleased("", ssu, "Microsoft", "servicing-stack", "KB5035970", patch, "os-patch", ["windows"],
            new UpdateTargets(OsVersions: ["10.0.20348"]), [new Artifact("wuaueng.dll")]));
        var crash = new CrashShape("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0xEF", Process: "lsass.exe");
        foreach (var h in dcs.Hosts.Concat(members.Hosts))
        {
            // Maintenance windows over the night and the next day.
            var at = patch + k.W.Hours(4, 30);
            k.Sink.Install(ssu, h, at);
            k.Sink.Install(cu, h, at + k.W.Minutes(1, 4));
            if (h.Fleet != "domain-controllers" || !k.W.Chance(0.6)) continue;
            // The leak grows with Kerberos load: lsass dies after 2-6 days, and again after each reboot.
            var t = at + k.W.Hours(48, 144);
            while (t < k.W.End) { k.Sink.Crash(h, t, crash, cu); t += k.W.Hours(30, 80); }
        }
        // 0xEF with other dying processes happens anyway, on every Windows host.
        foreach (var h in k.W.Hosts.Where(h => h.Platform == "windows"))
            RandomizedBackground.Poisson(k.W, h, 1 / 90.0, k.W.Start, k.W.End, t => k.Sink.Crash(h, t, new CrashShape("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0xEF", Process: k.W.Chance(0.5) ? "svchost.exe" : "csrss.exe")));
        k.Innocent(new UpdateReleased("", "microsoft/dotnet-framework/KB5034626", "Microsoft", "dotnet-framework", "KB5034626", patch, "os-patch", ["windows"], null, [new Artifact("clr.dll")]));
        foreach (var h in members.Hosts.Where(_ => k.W.Chance(0.5))) k.Sink.Install("microsoft/dotnet-framework/KB5034626", h, patch + k.W.Hours(5, 30));
        k.Innocent(new UpdateReleased("", "redhat/kernel/RHSA-2024:1249", "Red Hat", "kernel", "RHSA-2024:1249", IncidentKit.Utc(2024, 3, 13, 9, 0), "os-patch", ["linux"], null, [new Artifact("vmlinuz")]));
        return k.Build(Name, "KB5035857 (12 March 2024 cumulative update for Windows Server 2022) leaks memory in lsass.exe on domain controllers: 2-6 days after installation " +
                             "DCs die with 0xEF (critical process died), a bugcheck that also happens for other reasons everywhere. Member servers with the same update, " +
                             "the servicing stack update installed in the same minutes, .NET and kernel errata are innocent.");
    }
}
