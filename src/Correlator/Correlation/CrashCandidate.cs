namespace Correlator.Correlation;

/// <summary>
/// The running 2×2 tally of one update × one crash signature, by distinct host: exposed/unexposed hosts that
/// crashed after the update's exposure began, and exposed/unexposed hosts that crashed in the baseline window
/// before it. Kept incrementally: a host is re-classified when it crashes again or installs the update.
/// </summary>
public sealed class CrashCandidate
{
    private readonly Dictionary<string, HostCase> _cases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _delays = new(StringComparer.Ordinal);
    private double[]? _sortedDelays;

    public CrashCandidate(UpdateExposure update, SignatureHistory signature, DateTimeOffset baselineFrom, Func<string, KnownHost> host)
    {
        Update = update;
        Signature = signature;
        Start = update.ExposureStart;
        BaselineFrom = baselineFrom;
        foreach (var h in signature.ByHost.Keys) Reclassify(h, host(h));
    }

    public UpdateExposure Update { get; }
    public SignatureHistory Signature { get; }
    public DateTimeOffset Start { get; }
    public DateTimeOffset BaselineFrom { get; }
    public int ExposedHosts { get; private set; }
    public int UnexposedHosts { get; private set; }
    public int BaselineExposed { get; private set; }
    public int BaselineUnexposed { get; private set; }
    public int ExposedCrashes { get; private set; }
    public DateTimeOffset? FirstExposedFailure { get; private set; }
    public IEnumerable<string> ExposedCaseHosts => _cases.Where(kv => kv.Value.Exposed).Select(kv => kv.Key);

    private readonly record struct HostCase(bool Exposed, bool Unexposed, bool BaseExposed, bool BaseUnexposed, int Crashes);

    public void Reclassify(string hostId, KnownHost host)
    {
        if (!Signature.ByHost.TryGetValue(hostId, out var times)) return;
        if (_cases.TryGetValue(hostId, out var old))
        {
            if (old.Exposed) ExposedHosts--;
            if (old.Unexposed) UnexposedHosts--;
            if (old.BaseExposed) BaselineExposed--;
            if (old.BaseUnexposed) BaselineUnexposed--;
            ExposedCrashes -= old.Crashes;
        }
        var since = Update.ExposedSince(host);
        bool exposed = false, unexposed = false, baseE = false, baseU = false;
        var crashes = 0;
        foreach (var t in times)
        {
            if (t >= BaselineFrom && t < Start) { if (since is null) baseU = true; else baseE = true; }
            if (since is { } s && t >= s && t >= Start)
            {
                if (!exposed)
                {
                    _delays[hostId] = (t - s).TotalHours;
                    _sortedDelays = null;
                    if (FirstExposedFailure is null || t < FirstExposedFailure) FirstExposedFailure = t;
                }
                exposed = true;
                crashes++;
            }
            else if (t >= Start) unexposed = true;
        }
        if (exposed) unexposed = false;
        var now = new HostCase(exposed, unexposed, baseE, baseU, crashes);
        _cases[hostId] = now;
        if (exposed) ExposedHosts++;
        if (unexposed) UnexposedHosts++;
        if (baseE) BaselineExposed++;
        if (baseU) BaselineUnexposed++;
        ExposedCrashes += crashes;
    }

    /// <summary>Hours from exposure to failure at the k-th earliest exposed host (robust to one early stray crash).</summary>
    public double OnsetDelayHours(int minHosts)
    {
        if (_delays.Count == 0) return double.NaN;
        _sortedDelays ??= _delays.Values.Order().ToArray();
        var k = Math.Min(_sortedDelays.Length, Math.Max(minHosts, (int)Math.Ceiling(0.1 * _sortedDelays.Length)));
        return _sortedDelays[k - 1];
    }
}
