using System.Globalization;
using System.Text.Json;
using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>A crash as it really happened (true time) and the signature it reports.</summary>
internal sealed record RCrash(RHost Host, DateTimeOffset At, CrashShape Shape, string? Cause);

/// <summary>A degradation episode of one service region, [Start, End), and the status its source reports.</summary>
internal sealed record REpisode(RServiceRegion Where, DateTimeOffset Start, DateTimeOffset End, string Status, string? Cause);

/// <summary>
/// Collects a randomized scenario's messages with the time each reaches the broker, then adds redeliveries and
/// malformed lines and orders them by arrival. Crash reports carry the host's clock (true time + skew) and arrive
/// after an upload delay; status lines are written from the episodes at the end, per each source's style.
/// </summary>
internal sealed class RandomizedSink(RandomizedWorld world)
{
    private readonly List<(DateTimeOffset Arrival, long Seq, ScenarioLine Line)> _lines = [];
    private readonly List<RCrash> _crashes = [];
    private readonly List<REpisode> _episodes = [];
    private readonly Dictionary<REpisode, DateTimeOffset> _firstObserved = [];
    private long _seq;
    private int _ids;

    /// <summary>When an episode's first degraded observation was published (known after <see cref="Finish"/>).</summary>
    public DateTimeOffset? FirstObserved(REpisode e) => _firstObserved.TryGetValue(e, out var t) ? t : null;

    public IReadOnlyList<RCrash> Crashes => _crashes;
    public IReadOnlyList<REpisode> Episodes => _episodes;

    private string Id(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}.{world.Seed:x}.{++_ids:x6}");

    public void Crash(RHost host, DateTimeOffset at, CrashShape shape, string? cause = null)
    {
        if (at < world.Start || at >= world.End) return;
        _crashes.Add(new RCrash(host, at, shape, cause));
    }

    public void Episode(RServiceRegion where, DateTimeOffset start, DateTimeOffset end, string status, string? cause = null)
    {
        if (start >= world.End) return;
        _episodes.Add(new REpisode(where, start, end < world.End ? end : world.End, status, cause));
    }

    /// <summary>The time a crash report says it happened: the host's clock.</summary>
    public static DateTimeOffset Reported(RCrash c) => c.At + c.Host.Skew;

    public string Release(UpdateReleased r, DateTimeOffset? arrival = null)
    {
        var id = Id("rel");
        Add(arrival ?? Max(r.ReleasedAt, world.Start), Wire.UpdateManifests, r.UpdateId, Wire.Release(r with { Id = id }));
        return id;
    }

    public void Install(string updateId, RHost host, DateTimeOffset at, DateTimeOffset? arrival = null) =>
        Add(arrival ?? at, Wire.UpdateManifests, updateId, Wire.Installation(new UpdateInstalled(Id("ins"), updateId, host.Id, at)));

    public void Recall(string updateId, DateTimeOffset at, string reason) =>
        Add(at, Wire.UpdateManifests, updateId, Wire.Recall(new UpdateRecalled(Id("rcl"), updateId, at, reason)));

    /// <summary>Writes crashes and status, then redeliveries and malformed lines, and returns the lines in arrival order.</summary>
    public List<ScenarioLine> Finish()
    {
        foreach (var c in _crashes.OrderBy(c => c.At)) WriteCrash(c);
        WriteStatus();
        var values = _lines.Where(l => l.Line.Value is not null).ToList();
        var duplicates = Math.Max(3, (int)(values.Count * world.U(0.002, 0.01)));
        for (var i = 0; i < duplicates && values.Count > 0; i++)
        {
            var original = values[world.Rng.Next(values.Count)];
            var delay = world.Chance(0.6) ? TimeSpan.FromSeconds(world.Int(1, 50)) : world.Minutes(1, 40);
            _lines.Add((original.Arrival + delay, _seq++, original.Line));
        }
        var bad = world.Int(5, 12);
        for (var i = 0; i < bad; i++) Malformed(world.Between(world.Start, world.End));
        return _lines.OrderBy(l => l.Arrival).ThenBy(l => l.Seq).Select(l => l.Line).ToList();
    }

    private void WriteCrash(RCrash c)
    {
        var s = c.Shape;
        var h = c.Host;
        var stack = new List<StackFrame> { new(s.Module, Offset: $"0x{world.Rng.Next(0x1000, 0xfffff):x}") };
        stack.Add(new StackFrame(h.Platform == "windows" ? "ntoskrnl.exe" : "vmlinux", Offset: $"0x{world.Rng.Next(0x1000, 0xfffff):x}"));
        var crash = new CrashReported(Id("cr"), h.Id, Reported(c), h.Platform, s.Kind, h.OsVersion,
            world.Chance(0.03) ? null : h.Region, world.Chance(0.03) ? null : h.Fleet,
            BugcheckCode: s.Bugcheck is { } b && world.Chance(0.3) ? "0x" + Convert.ToUInt32(b, 16).ToString("X8", CultureInfo.InvariantCulture) : s.Bugcheck,
            ExceptionCode: s.Exception, Signal: s.Signal, Process: s.Process, PanicMessage: s.Panic,
            FaultingModule: world.Chance(0.9) ? new ModuleRef(s.Module) : null, Stack: stack,
            DumpUri: world.Chance(0.5) ? $"s3://dumps/{h.Id}/{c.At.ToUnixTimeSeconds()}.dmp" : null);
        // Upload delay: usually a minute or two; now and then a dump that waits for the host to come back (hours).
        var delay = world.Chance(0.03) ? world.Hours(1, 6) : world.Exponential(TimeSpan.FromMinutes(1.5));
        Add(c.At + delay, Wire.CrashDumps, h.Id, Wire.Crash(crash, h.Offset));
    }

    private void WriteStatus()
    {
        foreach (var where in world.Services)
        {
            var episodes = _episodes.Where(e => e.Where == where).OrderBy(e => e.Start).ToList();
            string StatusAt(DateTimeOffset t) => episodes.LastOrDefault(e => e.Start <= t && t < e.End)?.Status ?? "operational";
            if (where.TransitionsOnly)
            {
                // A status page: the state when the feed starts, then one message per change.
                Status(where, world.Start, "operational");
                var current = "operational";
                var changes = episodes.SelectMany(e => new[] { e.Start, e.End }).Where(t => t < world.End).Distinct().Order();
                foreach (var t in changes)
                {
                    var now = StatusAt(t);
                    if (now == current) continue;
                    var at = t + TimeSpan.FromSeconds(world.Int(0, 90));
                    Status(where, at, now);
                    current = now;
                    foreach (var e in episodes.Where(e => e.Start == t)) _firstObserved.TryAdd(e, at);
                }
            }
            else
            {
                var phase = TimeSpan.FromSeconds(world.Int(0, (int)where.Interval.TotalSeconds));
                for (var t = world.Start + phase; t < world.End; t += where.Interval)
                {
                    var at = t + TimeSpan.FromSeconds(world.Int(0, 20));
                    Status(where, at, StatusAt(t));
                    foreach (var e in episodes.Where(e => e.Start <= t && t < e.End)) _firstObserved.TryAdd(e, at);
                }
            }
        }
    }

    private void Status(RServiceRegion where, DateTimeOffset at, string status)
    {
        var source = where.TransitionsOnly ? "status-page" : "synthetic-probe";
        var s = new ServiceStatusObserved(Id("st"), where.Service, status, at, where.Region, Source: source,
            Message: status == "operational" ? null : $"{where.Service} in {where.Region}: elevated errors");
        Add(at, Wire.ServiceStatus, $"{where.Service}|{where.Region}", Wire.Status(s));
    }

    private void Malformed(DateTimeOffset at)
    {
        var host = world.Pick(world.Hosts);
        var stamp = Wire.Timestamp(at);
        var (topic, key, raw) = world.Int(0, 9) switch
        {
            0 => (Wire.CrashDumps, host.Id, "crash report for " + host.Id + " (collector failed to serialise)"),
            1 => (Wire.CrashDumps, host.Id, "{\"id\":\"trunc-" + _seq + "\",\"hostId\":\"" + host.Id + "\",\"occurredAt\":\"" + stamp),
            2 => (Wire.ServiceStatus, "x|y", "[{\"service\":\"orders-api\",\"status\":\"operational\"}]"),
            3 => (Wire.CrashDumps, host.Id, Wire.Text(w => { w.WriteString("id", Id("bad")); w.WriteString("occurredAt", stamp); w.WriteString("platform", host.Platform); w.WriteString("kind", "kernel"); })),
            4 => (Wire.ServiceStatus, "orders-api|eastus2", Wire.Text(w => { w.WriteString("id", Id("bad")); w.WriteString("service", "orders-api"); w.WriteString("status", "sluggish"); w.WriteString("observedAt", stamp); })),
            5 => (Wire.UpdateManifests, "x", Wire.Text(w => { w.WriteString("id", Id("bad")); w.WriteString("type", "rollback"); w.WriteString("updateId", "x"); })),
            6 => (Wire.CrashDumps, host.Id, Wire.Text(w => { w.WriteString("id", Id("bad")); w.WriteString("hostId", host.Id); w.WriteString("occurredAt", at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)); w.WriteString("platform", host.Platform); w.WriteString("kind", "kernel"); })),
            7 => (Wire.CrashDumps, host.Id, Wire.Text(w => { w.WriteString("id", Id("bad")); w.WriteString("hostId", host.Id); w.WriteNumber("occurredAt", at.ToUnixTimeSeconds()); w.WriteString("platform", host.Platform); w.WriteString("kind", "kernel"); })),
            8 => (Wire.CrashDumps, host.Id, Wire.Text(w => { w.WriteString("id", Id("bad")); w.WriteString("hostId", host.Id); w.WriteString("occurredAt", stamp); w.WriteString("platform", "solaris"); w.WriteString("kind", "kernel"); })),
            _ => (Wire.UpdateManifests, "y", "42"),
        };
        _lines.Add((at, _seq++, new ScenarioLine(topic, key, null, raw)));
    }

    private void Add(DateTimeOffset arrival, string topic, string key, JsonElement value) => _lines.Add((arrival, _seq++, new ScenarioLine(topic, key, value, null)));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The signature a crash reports (what the engine will key it by).</summary>
    public static string SignatureOf(RCrash c) => Signature.Of(new CrashReported("x", c.Host.Id, c.At, c.Host.Platform, c.Shape.Kind,
        BugcheckCode: c.Shape.Bugcheck, ExceptionCode: c.Shape.Exception, Signal: c.Shape.Signal, Process: c.Shape.Process,
        PanicMessage: c.Shape.Panic, FaultingModule: new ModuleRef(c.Shape.Module)));
}
