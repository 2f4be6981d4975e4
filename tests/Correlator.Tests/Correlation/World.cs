using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Tests.Correlation;

/// <summary>A small hand-built fleet and its history, for the engine's hard cases. Seeded: every run is the same.</summary>
internal sealed class World
{
    public static readonly DateTimeOffset Night = new(2024, 7, 19, 0, 0, 0, TimeSpan.Zero);
    public static readonly string[] Regions = ["centralus", "eastus", "westus", "westeurope", "northeurope"];

    private readonly Random _rng;
    private int _next;
    public List<object> Facts { get; } = [];
    public List<(string Id, string Region, string Fleet)> Hosts { get; } = [];

    public World(int hosts = 400, int seed = 7, string[]? fleets = null)
    {
        _rng = new Random(seed);
        fleets ??= ["office", "pos-terminals", "servers"];
        for (var i = 0; i < hosts; i++)
            Hosts.Add(($"WIN-{i:D5}", Regions[i % Regions.Length], fleets[i / Regions.Length % fleets.Length]));
    }

    public string NextId(string p) => $"{p}-{++_next:D6}";

    public CrashReported Crash(string host, DateTimeOffset at, string code, string module, string kind = "kernel", string platform = "windows")
    {
        var h = Hosts.FirstOrDefault(x => x.Id == host);
        var c = new CrashReported(NextId("crash"), host, at, platform, kind, "10.0.22631.3880", h.Region, h.Fleet,
            BugcheckCode: kind == "kernel" ? code : null, ExceptionCode: kind == "user" ? code : null,
            Process: kind == "user" ? "app.exe" : null, FaultingModule: new ModuleRef(module)) { ObservedAt = at };
        Facts.Add(c);
        return c;
    }

    /// <summary>Background crashes: a handful of everyday signatures spread over every host, Poisson in time.</summary>
    public void Background(DateTimeOffset from, DateTimeOffset to, double perHour)
    {
        (string Code, string Module)[] noise =
        [
            ("0x0000007E", "nvlddmkm.sys"), ("0x0000009F", "ntoskrnl.exe"), ("0x00000133", "storport.sys"),
            ("0x0000001E", "ntoskrnl.exe"), ("0x000000D1", "tcpip.sys"), ("0x00000050", "win32kfull.sys"),
            ("0x0000003B", "dxgkrnl.sys"), ("0x00000050", "csagent.sys"),
        ];
        var t = from;
        while (true)
        {
            t = t.AddHours(-Math.Log(1 - _rng.NextDouble()) / perHour);
            if (t >= to) break;
            var (code, module) = noise[_rng.Next(noise.Length)];
            Crash(Hosts[_rng.Next(Hosts.Count)].Id, t, code, module);
        }
    }

    public UpdateReleased Release(string updateId, DateTimeOffset at, string vendor = "Contoso", string product = "Agent", string version = "1.0",
        string[]? affects = null, string[]? artifacts = null, UpdateTargets? targets = null, string[]? platforms = null,
        DateTimeOffset? known = null, string kind = "agent")
    {
        var r = new UpdateReleased(NextId("rel"), updateId, vendor, product, version, at, kind, platforms ?? ["windows"], targets,
            artifacts?.Select(a => new Artifact(a)).ToList(), affects) { ObservedAt = known ?? at };
        Facts.Add(r);
        return r;
    }

    public void Install(string updateId, string host, DateTimeOffset at) =>
        Facts.Add(new UpdateInstalled(NextId("inst"), updateId, host, at) { ObservedAt = at });

    public void Recall(string updateId, DateTimeOffset at) =>
        Facts.Add(new UpdateRecalled(NextId("recall"), updateId, at) { ObservedAt = at });

    public void Status(string service, string region, string status, DateTimeOffset at) =>
        Facts.Add(new ServiceStatusObserved(NextId("svc"), service, status, at, region) { ReceivedAt = at });

    /// <summary>Dozens of harmless updates over the window, each to a different product with its own files.</summary>
    public void HarmlessUpdates(DateTimeOffset from, DateTimeOffset to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var at = from + (to - from) * _rng.NextDouble();
            Release($"harmless/{i}", at, "Vendor" + i, "Product" + i, "1." + i, artifacts: [$"prod{i}.dll"]);
        }
    }

    /// <summary>Every host of the selection crashes (or not) with probability <paramref name="share"/> within <paramref name="spread"/> of <paramref name="start"/>.</summary>
    public void Outbreak(IEnumerable<string> hosts, DateTimeOffset start, TimeSpan spread, double share, string code, string module, int loops = 1)
    {
        foreach (var h in hosts)
        {
            if (_rng.NextDouble() >= share) continue;
            var t = start + spread * _rng.NextDouble();
            for (var k = 0; k < loops; k++) Crash(h, t.AddMinutes(3 * k), code, module);
        }
    }

    public IReadOnlyList<FindingHistory> Run(CorrelationSettings? s = null) => CorrelationEngine.Run(Facts, s);
}
