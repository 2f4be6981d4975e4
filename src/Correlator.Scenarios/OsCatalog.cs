namespace Correlator.Scenarios;

/// <summary>OS builds and kernels by monthly patch level (0 = June 2024, 1 = July, 2 = August) and each host's loaded modules.</summary>
public static class OsCatalog
{
    public const string OsKey = "<os>";
    public const string FalconSensorVersion = "7.16.18603.0";

    public static readonly IReadOnlyDictionary<string, string[]> Versions = new Dictionary<string, string[]>
    {
        ["win10"] = ["10.0.19045.4529", "10.0.19045.4651", "10.0.19045.4780"],
        ["win11"] = ["10.0.22631.3737", "10.0.22631.3880", "10.0.22631.4037"],
        ["server2022"] = ["10.0.20348.2527", "10.0.20348.2582", "10.0.20348.2655"],
        ["rhel9"] = ["5.14.0-427.20.1.el9_4.x86_64", "5.14.0-427.24.1.el9_4.x86_64", "5.14.0-427.28.1.el9_4.x86_64"],
        ["rhel8"] = ["4.18.0-553.5.1.el8_10.x86_64", "4.18.0-553.8.1.el8_10.x86_64", "4.18.0-553.16.1.el8_10.x86_64"],
        ["ubuntu2204"] = ["5.15.0-112-generic", "5.15.0-116-generic", "5.15.0-117-generic"],
        ["ubuntu2404"] = ["6.8.0-36-generic", "6.8.0-38-generic", "6.8.0-40-generic"],
    };

    /// <summary>The cumulative update (KB) that takes a Windows build to patch <c>level</c>.</summary>
    public static readonly IReadOnlyDictionary<(string Distro, int Level), string> WindowsKb = new Dictionary<(string, int), string>
    {
        [("win10", 1)] = "KB5040427", [("win11", 1)] = "KB5040442", [("server2022", 1)] = "KB5040437",
        [("win10", 2)] = "KB5041580", [("win11", 2)] = "KB5041585", [("server2022", 2)] = "KB5041160",
    };

    public static readonly IReadOnlyDictionary<(string Distro, int Level), string> LinuxAdvisory = new Dictionary<(string, int), string>
    {
        [("rhel9", 1)] = "RHSA-2024:4211", [("rhel8", 1)] = "RHSA-2024:4349", [("ubuntu2204", 1)] = "USN-6895-1", [("ubuntu2404", 1)] = "USN-6896-1",
        [("rhel9", 2)] = "RHSA-2024:5101", [("rhel8", 2)] = "RHSA-2024:5102", [("ubuntu2204", 2)] = "USN-6951-1", [("ubuntu2404", 2)] = "USN-6952-1",
    };

    public static bool IsWindows(string distro) => distro is "win10" or "win11" or "server2022";

    public static TimeSpan LocalOffset(string region) => region switch
    {
        "eastus" => TimeSpan.FromHours(-4),
        "centralus" => TimeSpan.FromHours(-5),
        "westeurope" => TimeSpan.FromHours(2),
        "southeastasia" => TimeSpan.FromHours(8),
        _ => TimeSpan.Zero,
    };

    public static Dictionary<string, string> BaselineModules(string distro, int level, bool falcon, bool nvidia, bool rst, bool cloudVm, Random rng)
    {
        var os = Versions[distro][level];
        var m = new Dictionary<string, string> { [OsKey] = os };
        if (IsWindows(distro))
        {
            var nt = "10.0." + (distro == "win10" ? "19041" : distro == "win11" ? "22621" : "20348") + os[os.LastIndexOf('.')..];
            foreach (var name in new[] { "ntoskrnl.exe", "hal.dll", "storport.sys", "ntfs.sys", "tcpip.sys", "ndis.sys", "fltmgr.sys", "win32kfull.sys", "dxgkrnl.sys" })
                m[name] = nt;
            m["WdFilter.sys"] = "4.18.24060.7";
            if (cloudVm)
            {
                m["storvsc.sys"] = nt;
                m["netvsc.sys"] = nt;
                m["vmbus.sys"] = nt;
            }
            else
            {
                m["stornvme.sys"] = nt;
                m["e1d68x64.sys"] = "12.19.1.37";
            }
            if (falcon) m["csagent.sys"] = FalconSensorVersion;
            if (nvidia) m["nvlddmkm.sys"] = rng.NextDouble() < 0.6 ? "31.0.15.5222" : "31.0.15.3623";
            if (rst) m["iaStorVD.sys"] = "19.5.2.1049";
        }
        else
        {
            var fs = distro.StartsWith("rhel", StringComparison.Ordinal) ? "xfs" : "ext4";
            foreach (var name in new[] { fs, "nvme", "nf_conntrack", "nf_tables", "overlay", "dm_mod" })
                m[name] = os;
            if (cloudVm)
            {
                m["hv_netvsc"] = os;
                m["hv_storvsc"] = os;
                m["mlx5_core"] = os;
            }
            else
            {
                m["e1000e"] = os;
                m["i915"] = os;
            }
            if (falcon) m["falcon_lsm_serviceable"] = "7.14.16703";
        }
        return m;
    }
}
