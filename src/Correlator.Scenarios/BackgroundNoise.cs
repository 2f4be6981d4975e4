using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// Everyday crashes at realistic low rates: Windows bugchecks in the usual drivers, application crashes, Linux oopses and
/// segfaults, and a few hosts with failing hardware that crash again and again. The baseline includes the same
/// signatures culprits cause elsewhere (csagent.sys 0x50, storport.sys 0x7A, hung xfs tasks), just rarely.
/// </summary>
public static class BackgroundNoise
{
    private sealed record Template(double Weight, Func<Host, bool> Applies, Func<ScenarioBuilder, Host, DateTimeOffset, CrashReported> Make);

    private static Template WinK(double w, string code, string module, Func<Host, bool>? applies = null) =>
        new(w, h => applies?.Invoke(h) ?? true, (b, h, t) => Crashes.WindowsKernel(b, h, t, code, module));

    private static Template LinK(double w, string message, string? module, Func<Host, bool>? applies = null) =>
        new(w, h => (applies?.Invoke(h) ?? true) && (module is null || h.Modules.ContainsKey(module)),
            (b, h, t) => Crashes.LinuxKernel(b, h, t, Crashes.PanicText(b.Rng, message), module));

    private static readonly Template[] WindowsKernel =
    [
        WinK(3, "0x1E", "ntoskrnl.exe"),
        WinK(3, "0x3B", "win32kfull.sys"),
        WinK(2, "0x1A", "ntoskrnl.exe"),
        WinK(2, "0xEF", "ntoskrnl.exe"),
        WinK(1.5, "0x139", "ntoskrnl.exe"),
        WinK(1, "0x50", "ntfs.sys"),
        WinK(1, "0x50", "win32kfull.sys"),
        WinK(5, "0x116", "nvlddmkm.sys", h => h.HasNvidia),
        WinK(3, "0x7E", "nvlddmkm.sys", h => h.HasNvidia),
        WinK(2, "0xD1", "e1d68x64.sys", h => !h.CloudVm),
        WinK(2, "0xD1", "tcpip.sys"),
        WinK(1, "0xD1", "ndis.sys"),
        WinK(2, "0x133", "iaStorVD.sys", h => h.HasIntelRst),
        WinK(1.5, "0x133", "storport.sys"),
        WinK(1, "0x9F", "ntoskrnl.exe", h => !h.CloudVm),
        WinK(0.7, "0x7E", "fltmgr.sys"),
        WinK(0.5, "0x3B", "WdFilter.sys"),
        WinK(0.6, "0x50", "csagent.sys", h => h.RunsFalcon),
        WinK(0.8, "0x7A", "storport.sys"),
        WinK(0.5, "0x77", "ntfs.sys"),
        WinK(0.5, "0x7A", "ntfs.sys"),
    ];

    private static readonly Template[] LinuxKernel =
    [
        LinK(3, "BUG: unable to handle page fault for address: {addr}", "nvme"),
        LinK(2, "BUG: unable to handle page fault for address: {addr}", "xfs"),
        LinK(1.5, "BUG: unable to handle page fault for address: {addr}", "ext4"),
        LinK(2, "general protection fault, probably for non-canonical address 0xdead{addr}: 0000 [#1] PREEMPT SMP NOPTI", "nf_conntrack"),
        LinK(1, "general protection fault, probably for non-canonical address 0xdead{addr}: 0000 [#1] SMP NOPTI", "ext4"),
        LinK(2, "watchdog: BUG: soft lockup - CPU#{cpu} stuck for {secs}s! [kworker/{cpu}:1:{pid}]", "mlx5_core"),
        LinK(1.5, "watchdog: BUG: soft lockup - CPU#{cpu} stuck for {secs}s! [ksoftirqd/{cpu}:{pid}]", "hv_netvsc"),
        LinK(2, "watchdog: BUG: soft lockup - CPU#{cpu} stuck for {secs}s! [Xorg:{pid}]", "i915"),
        LinK(1, "watchdog: BUG: soft lockup - CPU#{cpu} stuck for {secs}s! [kworker/u64:2:{pid}]", "nvme"),
        LinK(0.8, "INFO: task xfsaild/dm-0:{pid} blocked for more than 120 seconds.", "xfs"),
        LinK(0.5, "INFO: task jbd2/sda1-8:{pid} blocked for more than 120 seconds.", "ext4"),
        LinK(1, "Kernel panic - not syncing: Out of memory and no killable processes...", null),
        LinK(1.5, "BUG: kernel NULL pointer dereference, address: 0000000000000008", "overlay"),
        LinK(1, "BUG: kernel NULL pointer dereference, address: 0000000000000040", "nf_tables"),
        LinK(0.5, "kernel BUG at mm/slub.c:{pid}!", null),
    ];

    private static readonly Dictionary<string, (double Weight, string Code, string Module)[]> WindowsUser = new()
    {
        ["explorer.exe"] = [(3, "0xC0000005", "explorer.exe"), (2, "0xC0000005", "shell32.dll"), (1, "0xC0000005", "windows.storage.dll"), (1, "0xC0000409", "ucrtbase.dll")],
        ["chrome.exe"] = [(4, "0xC0000005", "chrome.dll"), (1, "0x80000003", "chrome.dll"), (1, "0xC0000409", "chrome.dll")],
        ["msedge.exe"] = [(2, "0xC0000005", "msedge.dll")],
        ["ms-teams.exe"] = [(2, "0xC0000005", "ms-teams.exe"), (1, "0xE0000008", "KERNELBASE.dll")],
        ["OUTLOOK.EXE"] = [(1, "0xC0000005", "mso20win32client.dll")],
        ["PosClient.exe"] = [(3, "0xE0434352", "KERNELBASE.dll"), (1, "0xC0000005", "PosCore.dll")],
        ["KioskShell.exe"] = [(2, "0xE0434352", "KERNELBASE.dll")],
        ["w3wp.exe"] = [(1, "0xC00000FD", "coreclr.dll"), (2, "0xE0434352", "KERNELBASE.dll")],
        ["dotnet.exe"] = [(2, "0xE0434352", "KERNELBASE.dll")],
        ["sqlservr.exe"] = [(1, "0xC0000005", "sqlmin.dll")],
        ["MSBuild.exe"] = [(2, "0xE0434352", "KERNELBASE.dll")],
        ["devenv.exe"] = [(1, "0xC0000005", "ntdll.dll")],
        ["node.exe"] = [(1, "0xC0000005", "node.exe")],
        ["git.exe"] = [(1, "0xC0000005", "git.exe")],
    };

    private static readonly Dictionary<string, (double Weight, string Signal, string Module)[]> LinuxUser = new()
    {
        ["nginx"] = [(2, "SIGSEGV", "libc.so.6"), (1, "SIGSEGV", "nginx"), (0.5, "SIGABRT", "libc.so.6")],
        ["node"] = [(2, "SIGABRT", "node"), (1, "SIGSEGV", "node")],
        ["python3"] = [(2, "SIGSEGV", "libpython3.10.so.1.0"), (1, "SIGABRT", "libc.so.6")],
        ["java"] = [(3, "SIGSEGV", "libjvm.so"), (1, "SIGABRT", "libjvm.so")],
        ["containerd-shim"] = [(1, "SIGSEGV", "containerd-shim")],
        ["envoy"] = [(1, "SIGSEGV", "envoy"), (1, "SIGABRT", "envoy")],
        ["postgres"] = [(1, "SIGSEGV", "postgres"), (0.5, "SIGABRT", "postgres")],
        ["pgbouncer"] = [(1, "SIGSEGV", "libc.so.6")],
        ["gcc"] = [(2, "SIGSEGV", "cc1plus")],
    };

    /// <summary>Adds background crashes on every host over the scenario window; <paramref name="intensity"/> scales the rates.</summary>
    public static void Add(ScenarioBuilder b, double intensity = 1.0)
    {
        foreach (var h in b.Fleet.Hosts)
        {
            var endpoint = !h.CloudVm;
            // Crashes per host per day.
            var kernel = (h.IsWindows ? (endpoint ? 0.004 : 0.0015) : 0.0015) * intensity;
            var user = (h.IsWindows ? (endpoint ? 0.02 : 0.008) : 0.01) * intensity;
            Poisson(b, h, kernel, endpoint, (t) => KernelCrash(b, h, t));
            Poisson(b, h, user, endpoint, (t) => UserCrash(b, h, t));
        }
        FlakyHardware(b, intensity);
    }

    /// <summary>One crash of the everyday kinds on a host (used by scenarios that need a specific host's noise).</summary>
    public static CrashReported? KernelCrash(ScenarioBuilder b, Host h, DateTimeOffset t)
    {
        var options = (h.IsWindows ? WindowsKernel : LinuxKernel).Where(x => x.Applies(h)).Select(x => (x, x.Weight)).ToList();
        return options.Count == 0 ? null : b.Crash(b.PickWeighted(options).Make(b, h, t));
    }

    public static CrashReported? UserCrash(ScenarioBuilder b, Host h, DateTimeOffset t)
    {
        var process = b.Pick(h.Processes);
        if (h.IsWindows)
        {
            if (b.Chance() < 0.25 && !h.CloudVm) process = "explorer.exe";
            if (!WindowsUser.TryGetValue(process, out var kinds)) return null;
            var (_, code, module) = b.PickWeighted(kinds.Select(k => (k, k.Weight)).ToList());
            return b.Crash(Crashes.WindowsUser(b, h, t, code, process, module));
        }
        if (!LinuxUser.TryGetValue(process, out var signals)) return null;
        var (_, signal, mod) = b.PickWeighted(signals.Select(k => (k, k.Weight)).ToList());
        return b.Crash(Crashes.LinuxUser(b, h, t, signal, process, mod));
    }

    /// <summary>Poisson arrivals at <paramref name="perDay"/>, endpoints busier in their local daytime.</summary>
    private static void Poisson(ScenarioBuilder b, Host h, double perDay, bool diurnal, Action<DateTimeOffset> crash)
    {
        if (perDay <= 0) return;
        var peak = diurnal ? 1.6 : 1.0;
        var mean = TimeSpan.FromDays(1 / (perDay * peak));
        for (var t = b.Start + b.Exponential(mean); t < b.End; t += b.Exponential(mean))
        {
            if (diurnal)
            {
                var hour = t.ToOffset(OsCatalog.LocalOffset(h.Region)).Hour;
                var factor = hour is >= 8 and < 20 ? 1.6 : 0.35;
                if (b.Chance() > factor / peak) continue;
            }
            crash(t);
        }
    }

    /// <summary>About one host in three hundred has failing hardware: machine checks every few hours.</summary>
    private static void FlakyHardware(ScenarioBuilder b, double intensity)
    {
        foreach (var h in b.Fleet.Hosts)
        {
            if (b.Chance() >= 0.003 * intensity) continue;
            var from = b.Between(b.Start, b.End);
            var gap = TimeSpan.FromHours(1 + b.Rng.Next(0, 6));
            for (var t = from; t < b.End; t += gap + b.Exponential(TimeSpan.FromMinutes(40)))
            {
                if (h.IsWindows) b.Crash(Crashes.WindowsKernel(b, h, t, "0x124", "GenuineIntel.sys"));
                else b.Crash(Crashes.LinuxKernel(b, h, t, "mce: [Hardware Error]: CPU " + b.Rng.Next(0, 16) + ": Machine Check: 0 Bank 5: be00000000800400", null));
            }
        }
    }
}
