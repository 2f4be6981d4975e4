namespace Correlator.Scenarios;

/// <summary>The fleets of a mid-size retailer with stores, contact centres and Azure-hosted back ends.</summary>
public static class StandardFleets
{
    private static readonly (string, double)[] Stores = [("eastus", 4), ("centralus", 3), ("westeurope", 3), ("southeastasia", 1)];
    private static readonly (string, double)[] Cloud = [("eastus", 3), ("centralus", 2), ("westeurope", 2), ("southeastasia", 1)];
    private static readonly (string, double)[] Offices = [("eastus", 2), ("centralus", 1), ("westeurope", 2), ("southeastasia", 2)];

    public static readonly FleetSpec PosTerminals = new("pos-terminals", "windows", 900,
        [("win10", 0.85), ("win11", 0.15)], Stores, ["PosClient.exe", "explorer.exe", "msedge.exe"],
        Falcon: 0.97, IntelRst: 0.7, LocalOffsetShare: 0.15);

    public static readonly FleetSpec Kiosks = new("kiosks", "windows", 260,
        [("win10", 0.6), ("win11", 0.4)], Stores, ["KioskShell.exe", "chrome.exe", "explorer.exe"],
        Falcon: 0.93, Nvidia: 0.5, IntelRst: 0.4, LocalOffsetShare: 0.1);

    public static readonly FleetSpec CallCenter = new("call-center", "windows", 420,
        [("win11", 0.8), ("win10", 0.2)], Offices, ["chrome.exe", "explorer.exe", "ms-teams.exe", "OUTLOOK.EXE"],
        Falcon: 0.99, Nvidia: 0.1, IntelRst: 0.5, LocalOffsetShare: 0.1);

    public static readonly FleetSpec WebWindows = new("web-win", "windows", 220,
        [("server2022", 1)], Cloud, ["w3wp.exe", "dotnet.exe"], Falcon: 0.9, CloudVm: true);

    public static readonly FleetSpec Sql = new("sql", "windows", 110,
        [("server2022", 1)], Cloud, ["sqlservr.exe"], Falcon: 0.85, CloudVm: true);

    public static readonly FleetSpec BuildAgentsWindows = new("build-agents", "windows", 160,
        [("server2022", 0.7), ("win11", 0.3)], Cloud, ["MSBuild.exe", "devenv.exe", "node.exe", "git.exe"],
        Falcon: 0.35, CloudVm: true);

    public static readonly FleetSpec Web = new("web", "linux", 380,
        [("ubuntu2204", 0.7), ("ubuntu2404", 0.3)], Cloud, ["nginx", "node", "python3"], Falcon: 0.8, CloudVm: true);

    public static readonly FleetSpec Db = new("db", "linux", 140,
        [("rhel9", 0.7), ("rhel8", 0.3)], Cloud, ["postgres", "pgbouncer"], Falcon: 0.9, CloudVm: true);

    public static readonly FleetSpec K8sNodes = new("k8s-nodes", "linux", 420,
        [("ubuntu2204", 0.5), ("rhel9", 0.5)], Cloud, ["java", "python3", "containerd-shim", "envoy"], Falcon: 0.7, CloudVm: true);

    public static readonly FleetSpec BuildAgentsLinux = new("build-agents-linux", "linux", 140,
        [("ubuntu2204", 1)], Offices, ["java", "python3", "gcc", "node"], Falcon: 0.2);

    public static IReadOnlyList<FleetSpec> All =>
        [PosTerminals, Kiosks, CallCenter, WebWindows, Sql, BuildAgentsWindows, Web, Db, K8sNodes, BuildAgentsLinux];
}
