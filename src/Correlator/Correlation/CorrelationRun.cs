using Correlator.Ingestion.Events;

namespace Correlator.Correlation;

/// <summary>
/// One replay of the facts in knowledge-time order, tick by tick. Holds the indexes (hosts, signatures,
/// updates, services), the running update × signature tallies and the findings' lifecycle.
/// </summary>
internal sealed class CorrelationRun(CorrelationSettings settings)
{
    private readonly Dictionary<string, KnownHost> _hosts = new(StringComparer.Ordinal);
    private readonly List<KnownHost> _crashHosts = [];
    private readonly Dictionary<string, int> _crashHostsByPlatform = new(StringComparer.Ordinal);
    private int _installOnlyHosts;
    private readonly Dictionary<string, List<SignatureHistory>> _hostSignatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SignatureHistory> _signatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UpdateExposure> _updates = new(StringComparer.Ordinal);
    private readonly Dictionary<(string U, string S), CrashCandidate> _pairs = [];
    private readonly Dictionary<string, List<CrashCandidate>> _pairsByUpdate = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CrashCandidate>> _pairsBySignature = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExposedPopulation> _populations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceHistory> _services = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtySignatures = new(StringComparer.Ordinal);
    private readonly List<FindingFeedback> _feedback = [];
    private bool _allDirty, _servicesDirty;
    private DateTimeOffset? _dataStart;

    /// <summary>Latest score and posterior per (update, signature) — crash signatures and services alike.</summary>
    private readonly Dictionary<(string U, string S), Attribution> _attributions = [];

    public FindingBook Findings { get; } = new(settings);
    public long LastBucket { get; private set; } = long.MinValue;

    internal sealed record Attribution(CrashScore? Crash, ServiceScore? Service, double Posterior, string? Alternative, double AlternativePosterior, bool Explained);

    public void RunBucket(long bucket, IReadOnlyList<Fact> facts)
    {
        LastBucket = bucket;
        var tick = facts.Max(f => f.Known);
        foreach (var f in facts) Apply(f.Payload);
        Evaluate(tick);
    }

    // ---------------------------------------------------------------- facts

    private void Apply(object payload)
    {
        switch (payload)
        {
            case CrashReported c: ApplyCrash(c); break;
            case ServiceStatusObserved s: ApplyService(s); break;
            case UpdateReleased r: ApplyRelease(r); break;
            case UpdateInstalled i: ApplyInstall(i); break;
            case UpdateRecalled r: Update(r.UpdateId).Recall(r); break;
            case FindingFeedback f: _feedback.Add(f); break;
        }
    }

    private UpdateExposure Update(string id)
    {
        if (!_updates.TryGetValue(id, out var u)) _updates[id] = u = new UpdateExposure(id);
        return u;
    }

    private void ApplyCrash(CrashReported c)
    {
        var platform = c.Platform.ToLowerInvariant();
        if (!_hosts.TryGetValue(c.HostId, out var host) || host.Platform is null)
        {
            if (host is not null) _installOnlyHosts--;
            host = new KnownHost(c.HostId, platform, c.Region, c.Fleet, c.OsVersion);
            _hosts[c.HostId] = host;
            _crashHosts.Add(host);
            _crashHostsByPlatform[platform] = _crashHostsByPlatform.GetValueOrDefault(platform) + 1;
        }
        var sig = Signature.Of(c);
        if (!_signatures.TryGetValue(sig, out var history)) _signatures[sig] = history = SignatureHistory.For(c);
        if (!history.ByHost.ContainsKey(c.HostId))
        {
            if (!_hostSignatures.TryGetValue(c.HostId, out var list)) _hostSignatures[c.HostId] = list = [];
            list.Add(history);
        }
        history.Add(c.HostId, c.OccurredAt);
        if (_dataStart is null || c.OccurredAt < _dataStart) _dataStart = c.OccurredAt;
        if (_pairsBySignature.TryGetValue(sig, out var pairs))
            foreach (var p in pairs) p.Reclassify(c.HostId, host);
        _dirtySignatures.Add(sig);
    }

    private void ApplyService(ServiceStatusObserved s)
    {
        var region = string.IsNullOrWhiteSpace(s.Region) ? "global" : s.Region;
        var key = Signature.OfService(s.Service, region);
        if (!_services.TryGetValue(key, out var h)) _services[key] = h = new ServiceHistory(s.Service, region);
        h.Add(s.ObservedAt, s.Status, s.Id);
        if (_dataStart is null || s.ObservedAt < _dataStart) _dataStart = s.ObservedAt;
        _servicesDirty = true;
    }

    private void ApplyRelease(UpdateReleased r)
    {
        Update(r.UpdateId).AddRelease(r);
        Forget(r.UpdateId);
    }

    private void ApplyInstall(UpdateInstalled i)
    {
        if (!_hosts.TryGetValue(i.HostId, out var host))
        {
            _hosts[i.HostId] = host = new KnownHost(i.HostId, null, null, null, null);
            _installOnlyHosts++;
        }
        var u = Update(i.UpdateId);
        var wasInstallBased = u.InstallBased;
        var before = u.Installs.GetValueOrDefault(i.HostId);
        u.AddInstall(i);
        if (!wasInstallBased) { Forget(i.UpdateId); return; }
        if (before != default && before <= i.InstalledAt) return;
        if (_pairsByUpdate.TryGetValue(i.UpdateId, out var pairs))
            foreach (var p in pairs) p.Reclassify(i.HostId, host);
        foreach (var s in _hostSignatures.GetValueOrDefault(i.HostId) ?? []) _dirtySignatures.Add(s.Signature);
    }

    /// <summary>The update's exposure changed wholesale: drop its tallies, re-evaluate everything.</summary>
    private void Forget(string updateId)
    {
        if (_pairsByUpdate.Remove(updateId, out var pairs))
            foreach (var p in pairs)
            {
                _pairs.Remove((updateId, p.Signature.Signature));
                _pairsBySignature[p.Signature.Signature].Remove(p);
            }
        _populations.Remove(updateId);
        _allDirty = true;
        _servicesDirty = true;
    }

    // ---------------------------------------------------------------- evaluation

    private void Evaluate(DateTimeOffset tick)
    {
        var candidates = _updates.Values
            .Where(u => u.First is not null && u.ExposureStart <= tick && tick - u.ExposureStart <= settings.Lookback)
            .OrderBy(u => u.UpdateId, StringComparer.Ordinal)
            .ToList();
        var touched = new HashSet<string>(StringComparer.Ordinal);

        IEnumerable<SignatureHistory> sigs = _allDirty
            ? _signatures.Values
            : _dirtySignatures.Select(s => _signatures[s]);
        foreach (var s in sigs.Where(s => s.ByHost.Count >= settings.MinHosts).OrderBy(s => s.Signature, StringComparer.Ordinal))
        {
            EvaluateSignature(s, candidates, tick);
            touched.Add(s.Signature);
        }
        if (_servicesDirty)
            foreach (var s in _services.Values.OrderBy(s => s.Signature, StringComparer.Ordinal))
            {
                EvaluateService(s, candidates, tick);
                touched.Add(s.Signature);
            }
        _allDirty = false;
        _servicesDirty = false;
        _dirtySignatures.Clear();

        var feedback = _feedback.OrderBy(f => f.At).ThenBy(f => f.Id, StringComparer.Ordinal).ToList();
        _feedback.Clear();
        Findings.Tick(tick, _attributions, _updates, touched, this, feedback);
    }

    private ExposedPopulation Population(UpdateExposure u)
    {
        if (!_populations.TryGetValue(u.UpdateId, out var p)) _populations[u.UpdateId] = p = new ExposedPopulation(u);
        p.CatchUp(_crashHosts);
        return p;
    }

    private CrashCandidate Pair(UpdateExposure u, SignatureHistory s)
    {
        if (_pairs.TryGetValue((u.UpdateId, s.Signature), out var p)) return p;
        var baselineFrom = u.ExposureStart - settings.BaselineWindow;
        p = new CrashCandidate(u, s, baselineFrom, h => _hosts[h]);
        _pairs[(u.UpdateId, s.Signature)] = p;
        if (!_pairsByUpdate.TryGetValue(u.UpdateId, out var byU)) _pairsByUpdate[u.UpdateId] = byU = [];
        byU.Add(p);
        if (!_pairsBySignature.TryGetValue(s.Signature, out var byS)) _pairsBySignature[s.Signature] = byS = [];
        byS.Add(p);
        return p;
    }

    private void EvaluateSignature(SignatureHistory s, List<UpdateExposure> candidates, DateTimeOffset tick)
    {
        var scores = new List<CrashScore>();
        foreach (var u in candidates)
        {
            if (!u.ExposesHosts || !u.CoversPlatform(s.Platform)) continue;
            if (s.CrashesBetween(u.ExposureStart, tick) < settings.MinCrashes) { Clear(u, s.Signature); continue; }
            var pair = Pair(u, s);
            if (pair.ExposedHosts < settings.MinHosts || pair.ExposedCrashes < settings.MinCrashes) { Clear(u, s.Signature); continue; }
            var score = ScoreCrash(pair, tick);
            if (score.Gated) scores.Add(score); else Clear(u, s.Signature);
        }
        // Explaining away by onset: among candidates whose exposure pattern fits, the one whose exposure start best
        // splits the signature's history (the largest rise) sets the bar; the others lose what their rise lacks.
        // Against "no update" the rise is not evidence for any particular update (it only says something happened).
        var fitting = scores.Where(x => x.LogPHeterogeneity >= Math.Log(1e-3)).ToList();
        var best = fitting.Count == 0 ? 0 : fitting.Max(x => BayesFactors.FromP(x.LogPRise, settings));
        scores = scores.Select(x => x with { Onset = Math.Min(0, BayesFactors.FromP(x.LogPRise, settings) - best) }).ToList();
        var posteriors = BayesFactors.Posteriors(scores.Select(x => x.LogBayesFactor).ToList(), settings.PriorProbability);
        for (var i = 0; i < scores.Count; i++)
        {
            var (alt, altP) = Strongest(scores.Select(x => x.Candidate.Update.UpdateId).ToList(), posteriors, i);
            var c = scores[i].Candidate;
            var explained = posteriors[i] >= settings.RaiseThreshold;
            _attributions[(c.Update.UpdateId, s.Signature)] = new Attribution(scores[i], null, posteriors[i], alt, altP, explained);
        }
    }

    private void Clear(UpdateExposure u, string signature)
    {
        if (_attributions.TryGetValue((u.UpdateId, signature), out var a) && a.Explained)
            _attributions[(u.UpdateId, signature)] = a with { Explained = false };
    }

    private static (string?, double) Strongest(List<string> ids, double[] posteriors, int except)
    {
        string? best = null; double p = 0;
        for (var j = 0; j < ids.Count; j++)
            if (j != except && posteriors[j] > p) { p = posteriors[j]; best = ids[j]; }
        return (best, p);
    }

    private CrashScore ScoreCrash(CrashCandidate pair, DateTimeOffset tick)
    {
        var u = pair.Update;
        var s = pair.Signature;
        var after = Math.Max((tick - pair.Start).TotalHours, settings.MinAfterWindow.TotalHours);
        var dataStart = _dataStart ?? pair.Start;
        var baselineStart = dataStart > pair.BaselineFrom ? dataStart : pair.BaselineFrom;
        var baseline = Math.Max(0, (pair.Start - baselineStart).TotalHours);
        var x = pair.ExposedHosts;
        var logRise = Statistics.LogPoissonRiseP(x, pair.BaselineExposed, after, baseline);
        var population = Population(u);
        var f = population.ExposedFraction(s.Platform, _crashHostsByPlatform.GetValueOrDefault(s.Platform), _installOnlyHosts);
        var logContrast = f < 1 ? Statistics.LogBinomialUpperTail(x, x + pair.UnexposedHosts, f) : 0;
        var logUnexposed = Statistics.LogPoissonRiseP(pair.UnexposedHosts, pair.BaselineUnexposed, after, baseline);
        // The rise (after vs before on exposed hosts) or the contrast (exposed vs unexposed) must show that
        // something happened at all; only the contrast says it happened to the hosts this update reached.
        var anomaly = Math.Max(BayesFactors.FromP(logRise, settings), BayesFactors.FromP(logContrast, settings));
        var statistical = BayesFactors.FromP(logContrast, settings) - BayesFactors.FromP(logUnexposed, settings);
        var gated = anomaly >= Math.Log(settings.MinStatisticalBayesFactor);
        if (!gated)
            return new CrashScore(pair, false, after, baseline, logRise, f, logContrast, logUnexposed, 0, statistical, 0, 0, 0, double.NaN);

        var module = u.MatchesModule(s.Module, s.ModuleVersion) ? Math.Log(settings.ModuleMatchBayesFactor)
            : u.ListsModules ? Math.Log(settings.ModuleMismatchBayesFactor) : 0;
        var delay = pair.OnsetDelayHours(settings.MinHosts);
        var timing = BayesFactors.Timing(delay, settings);
        var (het, logHet) = Heterogeneity(pair, population);
        return new CrashScore(pair, true, after, baseline, logRise, f, logContrast, logUnexposed, logHet, statistical, module, timing, het, delay);
    }

    /// <summary>
    /// The excess must spread over the update's exposure like the exposed population does, along every
    /// dimension the update's targets leave open (region, fleet); a failure concentrated in one region of a
    /// global update is evidence against it.
    /// </summary>
    private (double Penalty, double LogP) Heterogeneity(CrashCandidate pair, ExposedPopulation population)
    {
        double penalty = 0, worst = 0;
        var cases = pair.ExposedCaseHosts.Select(h => _hosts[h]).ToList();
        foreach (var (dim, select, targets) in Dimensions)
        {
            if (!pair.Update.Unrestricted(targets)) continue;
            var reference = population.Strata(dim, pair.Signature.Platform, _hosts);
            var caseCounts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var h in cases)
                if (select(h) is { } v) caseCounts[v] = caseCounts.GetValueOrDefault(v) + 1;
            foreach (var (v, n) in caseCounts) reference[v] = Math.Max(0, reference.GetValueOrDefault(v) - n);
            if (reference.Values.Sum() < settings.MinReferenceHosts) continue;
            var keys = reference.Keys.Union(caseCounts.Keys).Order(StringComparer.Ordinal).ToList();
            var logP = Statistics.LogHomogeneityP(
                keys.Select(k => caseCounts.GetValueOrDefault(k)).ToList(),
                keys.Select(k => reference.GetValueOrDefault(k)).ToList());
            // Full likelihood scale (not calibrated): it must outweigh the rise it contradicts.
            penalty -= BayesFactors.FromP(logP, settings);
            worst = Math.Min(worst, logP);
        }
        return (penalty, worst);
    }

    private static readonly (string Dim, Func<KnownHost, string?> Select, Func<UpdateTargets, IReadOnlyList<string>?> Targets)[] Dimensions =
    [
        ("region", h => h.Region, t => t.Regions),
        ("fleet", h => h.Fleet, t => t.Fleets),
    ];

    private void EvaluateService(ServiceHistory r, List<UpdateExposure> candidates, DateTimeOffset tick)
    {
        var scores = new List<ServiceScore>();
        foreach (var u in candidates)
        {
            var score = ScoreService(u, r, tick);
            if (score is { Gated: true }) scores.Add(score); else Clear(u, r.Signature);
        }
        var posteriors = BayesFactors.Posteriors(scores.Select(x => x.LogBayesFactor).ToList(), settings.PriorProbability);
        for (var i = 0; i < scores.Count; i++)
        {
            var (alt, altP) = Strongest(scores.Select(x => x.Update.UpdateId).ToList(), posteriors, i);
            _attributions[(scores[i].Update.UpdateId, r.Signature)] =
                new Attribution(null, scores[i], posteriors[i], alt, altP, posteriors[i] >= settings.RaiseThreshold);
        }
    }

    private readonly Dictionary<(string U, DateTimeOffset Tick), (int E, int U, double F)> _serviceContrast = [];

    private ServiceScore? ScoreService(UpdateExposure u, ServiceHistory r, DateTimeOffset tick)
    {
        if (u.ServiceExposedSince(r.Service, r.Region) is not { } since || since > tick) return null;
        var (count, first, worst) = r.DegradedBetween(since, tick);
        if (count < settings.MinServiceObservations || first is null) return null;
        if (r.DegradedBefore(since, since - settings.BaselineWindow)) return null;
        var (dE, dU, f) = ServiceContrast(u, tick);
        var logP = f < 1 ? Statistics.LogBinomialUpperTail(dE, dE + dU, f) : 0;
        var statistical = BayesFactors.FromP(logP, settings);
        var named = u.NamesService(r.Service);
        var regionTargeted = u.TargetsRegion(r.Region);
        var naming = named ? Math.Log(settings.ServiceNameMatchBayesFactor) : regionTargeted ? Math.Log(settings.ServiceRegionMatchBayesFactor) : 0;
        var delay = (first.Value - since).TotalHours;
        var timing = BayesFactors.Timing(delay, settings);
        var gated = statistical >= Math.Log(settings.MinServiceStatisticalBayesFactor) && first.Value - since <= settings.SlowOnset;
        return new ServiceScore(u, r, gated, count, worst, first.Value, named, regionTargeted, dE, dU, f, logP, statistical, naming, timing, delay);
    }

    /// <summary>Among service regions observed since the update's exposure began: how many newly degraded ones it
    /// exposes versus does not, and the share it exposes.</summary>
    private (int E, int U, double F) ServiceContrast(UpdateExposure u, DateTimeOffset tick)
    {
        if (_serviceContrast.Count > 0 && !_serviceContrast.Keys.First().Tick.Equals(tick)) _serviceContrast.Clear();
        if (_serviceContrast.TryGetValue((u.UpdateId, tick), out var c)) return c;
        int exposed = 0, total = 0, dE = 0, dU = 0;
        var start = u.ExposureStart;
        foreach (var r in _services.Values)
        {
            if (!r.ObservedBetween(start, tick)) continue;
            total++;
            var since = u.ServiceExposedSince(r.Service, r.Region);
            var from = since is { } s && s <= tick ? s : start;
            if (since is not null && since <= tick) exposed++;
            var (n, _, _) = r.DegradedBetween(from, tick);
            if (n < settings.MinServiceObservations || r.DegradedBefore(from, from - settings.BaselineWindow)) continue;
            if (since is not null && since <= tick) dE++; else dU++;
        }
        c = (dE, dU, total == 0 ? 1 : (double)exposed / total);
        _serviceContrast[(u.UpdateId, tick)] = c;
        return c;
    }

    // ---------------------------------------------------------------- lookups for the finding book

    public SignatureHistory? SignatureOf(string signature) => _signatures.GetValueOrDefault(signature);
    public ServiceHistory? ServiceOf(string signature) => _services.GetValueOrDefault(signature);
}
