using Correlator.Ingestion.Events;

namespace Correlator.Correlation;

/// <summary>All crashes known so far for one signature, by host (event times, ascending).</summary>
public sealed class SignatureHistory(string signature, string platform, string module, string? moduleVersion, string? bugcheck)
{
    private readonly Dictionary<string, List<DateTimeOffset>> _byHost = new(StringComparer.Ordinal);
    private readonly List<DateTimeOffset> _all = [];

    public string Signature { get; } = signature;
    public string Platform { get; } = platform;
    public string Module { get; } = module;
    public string? ModuleVersion { get; } = moduleVersion;
    public string? Code { get; } = bugcheck;
    public IReadOnlyDictionary<string, List<DateTimeOffset>> ByHost => _byHost;
    public int Crashes => _all.Count;

    public static SignatureHistory For(CrashReported c) =>
        new(Correlation.Signature.Of(c), c.Platform.ToLowerInvariant(), Correlation.Signature.FaultingModule(c), c.FaultingModule?.Version,
            c.Kind.Equals("kernel", StringComparison.OrdinalIgnoreCase) ? c.BugcheckCode ?? c.PanicMessage : c.ExceptionCode ?? c.Signal);

    public void Add(string host, DateTimeOffset at)
    {
        if (!_byHost.TryGetValue(host, out var times)) _byHost[host] = times = [];
        InsertSorted(times, at);
        InsertSorted(_all, at);
    }

    /// <summary>Crashes with event time in (from, to].</summary>
    public int CrashesBetween(DateTimeOffset from, DateTimeOffset to) => LowerBound(_all, to, inclusive: true) - LowerBound(_all, from, inclusive: true);

    /// <summary>Crashes with event time in [from, to).</summary>
    public int CrashesFrom(DateTimeOffset from, DateTimeOffset to) => LowerBound(_all, to, inclusive: false) - LowerBound(_all, from, inclusive: false);

    /// <summary>Drops crash times before <paramref name="before"/> (they left every window). Hosts stay as keys with
    /// their list emptied: the count of hosts ever seen is what decides whether and when a pattern is re-scored.</summary>
    public int Evict(DateTimeOffset before)
    {
        var n = LowerBound(_all, before, inclusive: false);
        if (n == 0) return 0;
        _all.RemoveRange(0, n);
        foreach (var times in _byHost.Values)
        {
            var k = LowerBound(times, before, inclusive: false);
            if (k == times.Count) { times.Clear(); times.TrimExcess(); }
            else if (k > 0) times.RemoveRange(0, k);
        }
        return n;
    }

    private static void InsertSorted(List<DateTimeOffset> list, DateTimeOffset at)
    {
        if (list.Count == 0 || list[^1] <= at) { list.Add(at); return; }
        list.Insert(LowerBound(list, at, inclusive: true), at);
    }

    // Index of the first element > at (inclusive) or >= at (exclusive).
    private static int LowerBound(List<DateTimeOffset> list, DateTimeOffset at, bool inclusive)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (inclusive ? list[mid] <= at : list[mid] < at) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
