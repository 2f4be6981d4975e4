using System.Text.Json;
using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>
/// Collects one scenario's messages with the time each arrives, then orders them, mixes in redeliveries and
/// malformed messages and pairs them with the expected outcome. Pure: no clock, no I/O; one seeded <see cref="Random"/>.
/// </summary>
public sealed class ScenarioBuilder(int seed, DateTimeOffset start, DateTimeOffset end)
{
    private readonly List<(DateTimeOffset Arrival, long Seq, ScenarioLine Line)> _lines = [];
    private readonly HashSet<string> _ids = [];
    private readonly List<ExpectedCulprit> _culprits = [];
    private readonly List<string> _notCulprits = [];
    private long _seq;

    public Random Rng { get; } = new(seed);
    public DateTimeOffset Start { get; } = start;
    public DateTimeOffset End { get; } = end;
    public Fleet Fleet { get; set; } = new([]);

    /// <summary>A fresh message id, unique in this scenario: <c>prefix-</c> and 16 hex digits.</summary>
    public string NewId(string prefix)
    {
        while (true)
        {
            var id = $"{prefix}-{Rng.NextInt64():x16}";
            if (_ids.Add(id)) return id;
        }
    }

    public bool InWindow(DateTimeOffset t) => t >= Start && t < End;

    /// <summary>A uniformly random instant in [from, to).</summary>
    public DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        from + TimeSpan.FromSeconds(Math.Floor(Rng.NextDouble() * Math.Max(0, (to - from).TotalSeconds)));

    public double Chance() => Rng.NextDouble();

    public T Pick<T>(IReadOnlyList<T> items) => items[Rng.Next(items.Count)];

    public T PickWeighted<T>(IReadOnlyList<(T Item, double Weight)> weighted)
    {
        var total = weighted.Sum(w => w.Weight);
        var x = Rng.NextDouble() * total;
        foreach (var (item, weight) in weighted)
        {
            if (x < weight) return item;
            x -= weight;
        }
        return weighted[^1].Item;
    }

    /// <summary>Exponential waiting time with the given mean.</summary>
    public TimeSpan Exponential(TimeSpan mean) => TimeSpan.FromSeconds(-Math.Log(1 - Rng.NextDouble()) * mean.TotalSeconds);

    public CrashReported Crash(CrashReported crash, DateTimeOffset? arrival = null)
    {
        var host = Fleet.Find(crash.HostId);
        Add(arrival ?? crash.OccurredAt, Wire.CrashDumps, crash.HostId, Wire.Crash(crash, host?.ReportsOffset));
        return crash;
    }

    public void Status(string service, string? region, string status, DateTimeOffset at, string? source = null, string? message = null, string? component = null)
    {
        var s = new ServiceStatusObserved(NewId("st"), service, status, at, region, component, source, message);
        Add(at, Wire.ServiceStatus, $"{service}|{region ?? "global"}", Wire.Status(s));
    }

    public UpdateReleased Release(UpdateReleased release, DateTimeOffset? arrival = null)
    {
        var r = release with { Id = NewId("rel") };
        Add(arrival ?? Max(r.ReleasedAt, Start), Wire.UpdateManifests, r.UpdateId, Wire.Release(r));
        return r;
    }

    public void Recall(string updateId, DateTimeOffset at, string? reason = null, DateTimeOffset? arrival = null) =>
        Add(arrival ?? at, Wire.UpdateManifests, updateId, Wire.Recall(new UpdateRecalled(NewId("rcl"), updateId, at, reason)));

    public void Install(string updateId, Host host, DateTimeOffset at, DateTimeOffset? arrival = null) =>
        Add(arrival ?? at, Wire.UpdateManifests, updateId, Wire.Installation(new UpdateInstalled(NewId("ins"), updateId, host.Id, at)));

    public void Culprit(string updateId, IEnumerable<string> signatures) =>
        _culprits.Add(new ExpectedCulprit(updateId, signatures.Distinct().Order(StringComparer.Ordinal).ToList()));

    public void NotCulprit(string updateId)
    {
        if (!_notCulprits.Contains(updateId)) _notCulprits.Add(updateId);
    }

    public void Raw(DateTimeOffset arrival, string topic, string? key, string rawValue) =>
        _lines.Add((arrival, _seq++, new ScenarioLine(topic, key, null, rawValue)));

    /// <summary>Orders the lines by arrival, adds redeliveries and malformed messages, and returns the scenario.</summary>
    public Scenario Build(string name, string description, double duplicateRate = 0.004)
    {
        var values = _lines.Where(l => l.Line.Value is not null).ToList();
        var duplicates = Math.Max(4, (int)(values.Count * duplicateRate));
        for (var i = 0; i < duplicates && values.Count > 0; i++)
        {
            var original = values[Rng.Next(values.Count)];
            var delay = Rng.NextDouble() < 0.5 ? TimeSpan.FromSeconds(Rng.Next(1, 30)) : TimeSpan.FromMinutes(Rng.Next(1, 45));
            _lines.Add((original.Arrival + delay, _seq++, original.Line));
        }
        MalformedMessages.Add(this);
        var lines = _lines.OrderBy(l => l.Arrival).ThenBy(l => l.Seq).Select(l => l.Line).ToList();
        var notCulprits = _notCulprits.Where(n => _culprits.All(c => c.UpdateId != n)).ToList();
        return new Scenario(name, lines, new ExpectedOutcome(_culprits.ToList(), notCulprits), description);
    }

    private void Add(DateTimeOffset arrival, string topic, string key, JsonElement value) =>
        _lines.Add((arrival, _seq++, new ScenarioLine(topic, key, value, null)));

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>Signatures seen on at least <paramref name="minHosts"/> hosts, from an effect's crash list.</summary>
    public static IEnumerable<string> Significant(IEnumerable<CrashReported> crashes, int minHosts = 3) =>
        crashes.GroupBy(Signature.Of).Where(g => g.Select(c => c.HostId).Distinct().Count() >= minHosts).Select(g => g.Key);
}
