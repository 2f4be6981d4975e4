namespace Correlator.Scenarios;

/// <summary>A way a host can crash: the fields of a crash report that make its signature.</summary>
internal sealed record CrashShape(string Platform, string Kind, string Module, string? Bugcheck = null, string? Exception = null,
    string? Signal = null, string? Process = null, string? Panic = null);

/// <summary>A vendor product that can be updated, with the files it ships (or affects) and how it fails when it fails.</summary>
internal sealed record RProduct(string Vendor, string Product, string Kind, string Platform, string Module, IReadOnlyList<CrashShape> Failures,
    string? Service = null);

/// <summary>The name pools of the randomized generator: regions, fleets, services, background crash shapes, products.</summary>
internal static class RandomizedCatalog
{
    public static readonly string[] Regions = ["eastus2", "westus3", "northeurope", "swedencentral", "japaneast", "brazilsouth", "australiaeast", "uksouth", "centralindia", "canadacentral"];

    public static readonly string[] FleetNames = ["kiosks", "build-agents", "edge-cache", "sql-primary", "vdi-pool", "branch-pos", "hpc-batch", "api-frontends", "warehouse-scanners", "call-desks", "media-encoders", "ledger-db"];

    public static readonly string[] Services = ["orders-api", "search-gateway", "identity-sso", "blob-archive", "event-bus", "cdn-edge", "payments-core", "inventory-sync", "notifications"];

    public static readonly string[] WindowsBuilds = ["10.0.20348.2966", "10.0.22631.4602", "10.0.26100.2605", "10.0.19045.5247", "10.0.17763.6659"];

    public static readonly string[] LinuxKernels = ["5.15.0-126-generic", "6.8.0-51-generic", "5.14.0-503.15.1.el9_5.x86_64", "6.1.0-28-amd64", "4.18.0-553.27.1.el8_10.x86_64"];

    public static readonly double[] Offsets = [-5, -8, 1, 2, 5.5, 9, 10];

    public static readonly int[] SampleMinutes = [5, 10, 15, 20, 30];

    public static string HostPrefix(string fleet) => string.Concat(fleet.Split('-').Select(p => char.ToUpperInvariant(p[0]))) + "X";

    /// <summary>Background crashes that happen for reasons no update explains (weights are relative rates).</summary>
    public static readonly (CrashShape Shape, double Weight)[] Background =
    [
        (new("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0x1E"), 3),
        (new("windows", "kernel", "tcpip.sys", Bugcheck: "0xD1"), 2),
        (new("windows", "kernel", "fltmgr.sys", Bugcheck: "0x7E"), 1),
        (new("windows", "kernel", "win32kfull.sys", Bugcheck: "0x3B"), 2),
        (new("windows", "kernel", "ntfs.sys", Bugcheck: "0x24"), 1),
        (new("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0xEF", Process: "csrss.exe"), 2),
        (new("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0xEF", Process: "svchost.exe"), 2),
        (new("windows", "kernel", "storport.sys", Bugcheck: "0x133"), 1),
        (new("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0x1A"), 1),
        (new("windows", "user", "ntdll.dll", Exception: "0xC0000005", Process: "explorer.exe"), 3),
        (new("windows", "user", "ucrtbase.dll", Exception: "0xC0000409", Process: "msedge.exe"), 2),
        (new("windows", "user", "KERNELBASE.dll", Exception: "0xE0434352", Process: "w3wp.exe"), 2),
        (new("linux", "kernel", "ext4", Panic: "BUG: kernel NULL pointer dereference, address: 0000000000000008"), 1),
        (new("linux", "kernel", "vmlinux", Panic: "Kernel panic - not syncing: Out of memory: Killed process 4121 (java)"), 2),
        (new("linux", "kernel", "i40e", Panic: "watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [kworker/3:2:311]"), 1),
        (new("linux", "kernel", "nfs", Panic: "INFO: task kworker/2:1:91 blocked for more than 120 seconds."), 1),
        (new("linux", "kernel", "xfs", Panic: "general protection fault, probably for non-canonical address 0xdead000000000100"), 1),
        (new("linux", "user", "libc.so.6", Signal: "SIGSEGV", Process: "nginx"), 3),
        (new("linux", "user", "libstdc++.so.6", Signal: "SIGABRT", Process: "envoy"), 2),
        (new("linux", "user", "libjvm.so", Signal: "SIGSEGV", Process: "java"), 2),
    ];

    /// <summary>Failing hardware: a few hosts crash with these over and over.</summary>
    public static readonly CrashShape[] Hardware =
    [
        new("windows", "kernel", "hal.dll", Bugcheck: "0x124"),
        new("windows", "kernel", "pci.sys", Bugcheck: "0x9F"),
        new("linux", "kernel", "vmlinux", Panic: "mce: [Hardware Error]: Machine check events logged; Kernel panic - not syncing: Fatal machine check"),
    ];

    private static CrashShape WinK(string module, string code) => new("windows", "kernel", module, Bugcheck: code);
    private static CrashShape LinK(string module, string panic) => new("linux", "kernel", module, Panic: panic);

    /// <summary>Products whose installed update can crash hosts soon after it lands.</summary>
    public static readonly RProduct[] Installed =
    [
        new("Northwind", "nwflt-storage-filter", "driver", "windows", "nwflt.sys", [WinK("nwflt.sys", "0x50"), WinK("nwflt.sys", "0x7E")]),
        new("Fabrikam", "endpoint-shield", "agent", "windows", "fbshield.sys", [WinK("fbshield.sys", "0x3B"), WinK("fbshield.sys", "0x1E")]),
        new("Tailspin", "tsnic-driver", "driver", "windows", "tsnic64.sys", [WinK("tsnic64.sys", "0xD1"), WinK("tsnic64.sys", "0x133")]),
        new("Litware", "lwgpu-display", "driver", "windows", "lwgpu.sys", [WinK("lwgpu.sys", "0x116"), WinK("lwgpu.sys", "0x50")]),
        new("Adatum", "backup-agent", "agent", "windows", "adbkflt.sys", [WinK("adbkflt.sys", "0xC4"), WinK("adbkflt.sys", "0x7E")]),
        new("Proseware", "pos-terminal", "application", "windows", "pwpos.core.dll", [new("windows", "user", "pwpos.core.dll", Exception: "0xC0000005", Process: "pwpos.exe")]),
        new("Wingtip", "order-client", "application", "windows", "wtorder.dll", [new("windows", "user", "wtorder.dll", Exception: "0xE0434352", Process: "wtorder.exe")]),
        new("Northwind", "nwfs-kmod", "agent", "linux", "nwfs", [LinK("nwfs", "BUG: unable to handle page fault for address: ffffb4a1c0d0e000"), LinK("nwfs", "general protection fault, probably for non-canonical address 0x6b6b6b6b6b6b6b6b")]),
        new("Fabrikam", "shield-linux", "agent", "linux", "fbshield", [LinK("fbshield", "BUG: kernel NULL pointer dereference, address: 0000000000000040")]),
        new("Tailspin", "tsnic-linux", "driver", "linux", "tsnic", [LinK("tsnic", "watchdog: BUG: soft lockup - CPU#7 stuck for 26s! [ksoftirqd/7:52]"), LinK("tsnic", "Kernel panic - not syncing: Fatal exception in interrupt")]),
        new("Wingtip", "ingest-daemon", "application", "linux", "libwtingest.so", [new("linux", "user", "libwtingest.so", Signal: "SIGSEGV", Process: "wt-ingestd")]),
    ];

    /// <summary>Products that leak: failures a day or more after installation, with a signature that also has other causes.</summary>
    public static readonly RProduct[] Leaking =
    [
        new("Adatum", "telemetry-agent", "agent", "windows", "adtelem.sys", [new("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0xEF", Process: "adtelemsvc.exe")]),
        new("Fabrikam", "identity-agent", "agent", "windows", "fbidsvc.exe", [new("windows", "kernel", "ntoskrnl.exe", Bugcheck: "0xEF", Process: "lsass.exe")]),
        new("Northwind", "flowmon", "agent", "linux", "flowmon", [LinK("vmlinux", "Kernel panic - not syncing: System is deadlocked on memory (Out of memory)"), LinK("flowmon", "watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [flowmond:2231]")]),
        new("Litware", "cache-daemon", "application", "linux", "liblwcache.so", [LinK("vmlinux", "Kernel panic - not syncing: Out of memory and no killable processes...")]),
    ];

    /// <summary>Content pushed to running code (no installation records): what it affects and how that code crashes.</summary>
    public static readonly RProduct[] Content =
    [
        new("Fabrikam", "endpoint-shield-content", "content", "windows", "fbshield.sys", [WinK("fbshield.sys", "0x50"), WinK("fbshield.sys", "0x7E")]),
        new("Northwind", "nwflt-rules", "content", "windows", "nwflt.sys", [WinK("nwflt.sys", "0x3B")]),
        new("Fabrikam", "shield-linux-content", "content", "linux", "fbshield", [LinK("fbshield", "BUG: unable to handle page fault for address: ffff9e1e40000000")]),
    ];

    /// <summary>Configuration pushed to services (no crashes unless a process reads it).</summary>
    public static readonly string[] ConfigProducts = ["edge-routing", "gateway-limits", "auth-policy", "feature-flags", "quota-service", "dns-zones"];

    /// <summary>Innocent installed software and its artifacts.</summary>
    public static readonly (string Vendor, string Product, string Kind, string Platform, string[] Artifacts)[] Innocent =
    [
        ("Microsoft", "windows-cu", "os-patch", "windows", ["ntoskrnl.exe", "tcpip.sys", "ntfs.sys", "win32kfull.sys"]),
        ("Microsoft", "dotnet-runtime", "os-patch", "windows", ["coreclr.dll", "clrjit.dll"]),
        ("Microsoft", "servicing-stack", "os-patch", "windows", ["wuaueng.dll"]),
        ("Microsoft", "msedge", "application", "windows", ["msedge.dll", "msedge.exe"]),
        ("Contoso", "inventory-agent", "agent", "windows", ["ctinv.exe"]),
        ("Canonical", "linux-kernel", "os-patch", "linux", ["vmlinuz", "ext4.ko", "i40e.ko"]),
        ("Red Hat", "kernel-errata", "os-patch", "linux", ["vmlinuz", "xfs.ko", "nfs.ko"]),
        ("OpenSSL", "openssl", "os-patch", "linux", ["libssl.so.3", "libcrypto.so.3"]),
        ("Contoso", "log-shipper", "agent", "linux", ["ctshipd"]),
        ("Woodgrove", "vm-guest-agent", "agent", "windows", ["wgguest.exe"]),
        ("Woodgrove", "vm-guest-agent-linux", "agent", "linux", ["wgguestd"]),
    ];
}
