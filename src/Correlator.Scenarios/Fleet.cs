namespace Correlator.Scenarios;

/// <summary>One managed host. Its OS and module versions change over time as updates install.</summary>
public sealed class Host
{
    private readonly List<(DateTimeOffset At, string Name, string Version)> _changes = [];

    public required string Id { get; init; }
    public required string Platform { get; init; }
    public required string Fleet { get; init; }
    public required string Region { get; init; }
    public required string Distro { get; init; }
    public bool CloudVm { get; init; }
    public bool RunsFalcon { get; init; }
    public bool HasNvidia { get; init; }
    public bool HasIntelRst { get; init; }
    /// <summary>Hosts whose crash collector stamps local time with an offset instead of UTC.</summary>
    public TimeSpan? ReportsOffset { get; init; }
    public required IReadOnlyList<string> Processes { get; init; }
    public required Dictionary<string, string> Modules { get; init; }

    public bool IsWindows => Platform == "windows";

    public void Change(DateTimeOffset at, string module, string version) => _changes.Add((at, module, version));

    public string? VersionAt(string module, DateTimeOffset t)
    {
        string? version = Modules.GetValueOrDefault(module);
        var latest = DateTimeOffset.MinValue;
        foreach (var c in _changes)
            if (c.Name == module && c.At <= t && c.At >= latest) (latest, version) = (c.At, c.Version);
        return version;
    }

    public string OsVersionAt(DateTimeOffset t) => VersionAt(OsCatalog.OsKey, t)!;
}

/// <summary>How a fleet is made: platform, size, OS mix, regions and what software its hosts run.</summary>
public sealed record FleetSpec(
    string Name,
    string Platform,
    int Count,
    (string Distro, double Weight)[] Distros,
    (string Region, double Weight)[] Regions,
    string[] Processes,
    double Falcon = 0,
    double Nvidia = 0,
    double IntelRst = 0,
    bool CloudVm = false,
    double LocalOffsetShare = 0);

/// <summary>The hosts of a scenario, built deterministically from fleet specs.</summary>
public sealed class Fleet(IReadOnlyList<Host> hosts)
{
    private readonly Dictionary<string, Host> _byId = hosts.ToDictionary(h => h.Id);

    public IReadOnlyList<Host> Hosts { get; } = hosts;

    public Host? Find(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<Host> Windows => Hosts.Where(h => h.IsWindows);
    public IEnumerable<Host> Linux => Hosts.Where(h => !h.IsWindows);
    public IEnumerable<Host> InFleet(string fleet) => Hosts.Where(h => h.Fleet == fleet);

    /// <summary>
    /// Builds hosts WIN-00001… and LNX-00001… from the specs; <paramref name="scale"/> multiplies every fleet's size,
    /// <paramref name="level"/> is the Patch Tuesday level the OS versions start at (0 = June 2024).
    /// </summary>
    public static Fleet Build(Random rng, IEnumerable<FleetSpec> specs, double scale = 1.0, int level = 0)
    {
        var hosts = new List<Host>();
        int win = 0, lnx = 0;
        foreach (var spec in specs)
        {
            var count = Math.Max(1, (int)Math.Round(spec.Count * scale));
            for (var i = 0; i < count; i++)
            {
                var windows = spec.Platform == "windows";
                var id = windows ? $"WIN-{++win:00000}" : $"LNX-{++lnx:00000}";
                var distro = Weighted(rng, spec.Distros);
                var region = Weighted(rng, spec.Regions);
                var falcon = rng.NextDouble() < spec.Falcon;
                var nvidia = rng.NextDouble() < spec.Nvidia;
                var rst = rng.NextDouble() < spec.IntelRst;
                var offset = rng.NextDouble() < spec.LocalOffsetShare ? OsCatalog.LocalOffset(region) : (TimeSpan?)null;
                hosts.Add(new Host
                {
                    Id = id, Platform = spec.Platform, Fleet = spec.Name, Region = region, Distro = distro,
                    CloudVm = spec.CloudVm, RunsFalcon = falcon, HasNvidia = nvidia, HasIntelRst = rst,
                    ReportsOffset = offset == TimeSpan.Zero ? null : offset,
                    Processes = spec.Processes,
                    Modules = OsCatalog.BaselineModules(distro, level, falcon, nvidia, rst, spec.CloudVm, rng),
                });
            }
        }
        return new Fleet(hosts);
    }

    private static string Weighted((string Item, double Weight)[] items, Random rng) => Weighted(rng, items);

    private static string Weighted(Random rng, (string Item, double Weight)[] items)
    {
        var x = rng.NextDouble() * items.Sum(i => i.Weight);
        foreach (var (item, weight) in items)
        {
            if (x < weight) return item;
            x -= weight;
        }
        return items[^1].Item;
    }
}
