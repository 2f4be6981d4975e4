using System.Security.Cryptography;
using System.Text;

namespace Correlator.Correlation;

/// <summary>
/// The findings' lifecycle: raise when an update explains a failure pattern above the threshold, update on a
/// material change, resolve after recall and recovery, and apply SRE feedback. One open finding per update.
/// </summary>
internal sealed class FindingBook(CorrelationSettings settings)
{
    private readonly List<Life> _all = [];
    private readonly Dictionary<string, List<Life>> _byUpdate = new(StringComparer.Ordinal);

    private sealed class Life(string id, string updateId, DateTimeOffset detectedAt)
    {
        public string Id { get; } = id;
        public string UpdateId { get; } = updateId;
        public DateTimeOffset DetectedAt { get; } = detectedAt;
        public string Status { get; set; } = FindingStatus.Suspected;
        public SortedSet<string> Items { get; } = new(StringComparer.Ordinal);
        public List<FindingTransition> Transitions { get; } = [];
        public bool Open => Status is FindingStatus.Suspected or FindingStatus.Confirmed;
        public Finding? Last => Transitions.Count == 0 ? null : Transitions[^1].Finding;
    }

    public IReadOnlyList<FindingHistory> Histories() =>
        _all.Select(l => new FindingHistory(l.Id, l.UpdateId, l.Transitions.ToList()))
            .OrderBy(h => h.DetectedAt).ThenBy(h => h.FindingId, StringComparer.Ordinal).ToList();

    /// <summary>The (update, item) pairs of the open findings: their attributions are what a resolution re-reads.</summary>
    public IEnumerable<(string UpdateId, string Item)> OpenItems() =>
        _byUpdate.Values.Select(l => l[^1]).Where(l => l.Open).SelectMany(l => l.Items.Select(i => (l.UpdateId, i)));

    public static string IdFor(string updateId, DateTimeOffset raisedAt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{updateId}|{raisedAt.UtcTicks}"));
        return "F-" + Convert.ToHexStringLower(hash)[..20];
    }

    public void Tick(
        DateTimeOffset tick,
        IReadOnlyDictionary<(string U, string S), CorrelationRun.Attribution> attributions,
        IReadOnlyDictionary<string, SortedSet<string>> explained,
        IReadOnlyDictionary<string, UpdateExposure> updates,
        ISet<string> touched,
        CorrelationRun run,
        IReadOnlyList<FindingFeedback> feedback)
    {
        var open = _byUpdate.Where(kv => kv.Value[^1].Open).Select(kv => kv.Key).ToList();
        if (explained.Count == 0 && open.Count == 0 && feedback.Count == 0) return;
        var ids = explained.Keys.Union(open).Order(StringComparer.Ordinal).ToList();
        foreach (var u in ids)
        {
            var update = updates[u];
            var lives = _byUpdate.GetValueOrDefault(u);
            var current = lives is { Count: > 0 } && lives[^1].Open ? lives[^1] : null;
            IEnumerable<string> items = explained.GetValueOrDefault(u) ?? [];
            if (current is null)
            {
                var blocked = (lives ?? []).SelectMany(l => l.Items).ToHashSet(StringComparer.Ordinal);
                if (!items.Any(i => !blocked.Contains(i))) continue;
                var life = new Life(IdFor(u, tick), u, tick);
                foreach (var i in items) life.Items.Add(i);
                if (lives is null) _byUpdate[u] = lives = [];
                lives.Add(life);
                _all.Add(life);
                Emit(life, TransitionKind.Raised, tick, attributions, update);
                continue;
            }
            var added = false;
            foreach (var i in items) added |= current.Items.Add(i);
            if (update.RecalledAt is { } r && r + settings.RecoveryWindow <= tick && Recovered(current, r, tick, attributions, run))
            {
                current.Status = FindingStatus.Resolved;
                var kinds = current.Items.Where(i => attributions.ContainsKey((u, i))).Select(i => attributions[(u, i)].Service is null).ToList();
                Emit(current, TransitionKind.Resolved, tick, attributions, update,
                    reason: FindingReasons.RecallFixedIt(r, tick, settings.RecoveryWindow, crashes: kinds.Contains(true), services: kinds.Contains(false)));
                continue;
            }
            if (!added && !current.Items.Any(touched.Contains)) continue;
            var next = Build(current, tick, attributions, update);
            if (added || Material(current.Last!, next)) current.Transitions.Add(new FindingTransition(TransitionKind.Updated, tick, next));
        }

        foreach (var f in feedback)
        {
            var life = _all.FirstOrDefault(l => l.Id == f.FindingId);
            if (life is null || !life.Open) continue;
            var (status, kind) = f.Action.ToLowerInvariant() switch
            {
                FeedbackAction.Confirm => (FindingStatus.Confirmed, TransitionKind.Confirmed),
                FeedbackAction.Dismiss => (FindingStatus.Dismissed, TransitionKind.Dismissed),
                FeedbackAction.Resolve => (FindingStatus.Resolved, TransitionKind.Resolved),
                _ => (null, null),
            };
            if (status is null || status == life.Status) continue;
            life.Status = status;
            Emit(life, kind!, tick, attributions, updates[life.UpdateId], f.Note, FindingReasons.Feedback(f.Action, f.Note));
        }
    }

    private void Emit(Life life, string kind, DateTimeOffset tick,
        IReadOnlyDictionary<(string U, string S), CorrelationRun.Attribution> attributions, UpdateExposure update, string? note = null, string? reason = null)
    {
        var f = Build(life, tick, attributions, update);
        if (note is not null) f = f with { Explanation = f.Explanation + $" SRE note: {note}" };
        life.Transitions.Add(new FindingTransition(kind, tick, f, reason));
    }

    private bool Material(Finding last, Finding next)
    {
        if (Math.Abs(next.Confidence - last.Confidence) >= settings.MaterialConfidenceChange) return true;
        var lastHosts = last.Signatures.Sum(s => s.Hosts);
        var nextHosts = next.Signatures.Sum(s => s.Hosts);
        var lastCrashes = last.Signatures.Sum(s => s.Crashes);
        var nextCrashes = next.Signatures.Sum(s => s.Crashes);
        // Growth only counts from something: a service-only finding has no hosts, and 0 ≥ 0 × factor would make every tick "material".
        // New signatures or service regions are announced by the caller (an item was added); regions recovering are not news.
        return lastHosts > 0 && nextHosts >= lastHosts * settings.MaterialGrowthFactor
               || lastCrashes > 0 && nextCrashes >= lastCrashes * settings.MaterialGrowthFactor;
    }

    private bool Recovered(Life life, DateTimeOffset recalledAt, DateTimeOffset tick,
        IReadOnlyDictionary<(string U, string S), CorrelationRun.Attribution> attributions, CorrelationRun run)
    {
        foreach (var item in life.Items)
        {
            if (!attributions.TryGetValue((life.UpdateId, item), out var a)) continue;
            if (a.Service is { } svc)
            {
                var last = svc.Service.LastAt(tick);
                if (last is null || last.Value.At < recalledAt || ServiceHistory.IsDegraded(last.Value.Status)) return false;
                continue;
            }
            var c = a.Crash!;
            var s = c.Signature;
            var baselineHours = c.BaselineHours;
            var rate = baselineHours > 0 ? s.CrashesFrom(c.Start - TimeSpan.FromHours(baselineHours), c.Start) / baselineHours : 0;
            var expected = rate * settings.RecoveryWindow.TotalHours;
            var recent = s.CrashesBetween(tick - settings.RecoveryWindow, tick);
            if (recent > expected + 2 * Math.Sqrt(expected)) return false;
        }
        return true;
    }

    private Finding Build(Life life, DateTimeOffset tick,
        IReadOnlyDictionary<(string U, string S), CorrelationRun.Attribution> attributions, UpdateExposure update)
    {
        var sigs = new List<(FindingSignature Row, SignatureEvidence Evidence)>();
        var services = new List<(FindingService Row, ServiceEvidence Evidence)>();
        double confidence = 0;
        DateTimeOffset? first = null;
        foreach (var item in life.Items)
        {
            if (!attributions.TryGetValue((life.UpdateId, item), out var a)) continue;
            confidence = Math.Max(confidence, a.Posterior);
            if (a.Crash is { } cs)
            {
                var ev = Evidence.For(cs, a);
                sigs.Add((new FindingSignature(item, cs.ExposedCrashes, cs.ExposedHosts), ev));
                if (cs.FirstExposedFailure is { } ff && (first is null || ff < first)) first = ff;
            }
            else if (a.Service is { } ss)
            {
                services.Add((new FindingService(ss.Service.Service, ss.Service.Region, ss.Worst), Evidence.For(ss, a)));
                if (first is null || ss.FirstFailure < first) first = ss.FirstFailure;
            }
        }
        var r = update.First!;
        var evidence = new FindingEvidence(update.ReleasedAt, update.RecalledAt, update.InstallBased ? "installations" : "targets",
            settings.PriorProbability, confidence, sigs.Select(x => x.Evidence).ToList(), services.Select(x => x.Evidence).ToList());
        var finding = new Finding(life.Id, life.Status, life.UpdateId, r.Vendor, r.Product, r.Version, Math.Round(confidence, 4),
            sigs.Select(x => x.Row).ToList(), services.Select(x => x.Row).ToList(), evidence, "", first ?? tick, life.DetectedAt);
        return finding with { Explanation = Explanation.For(finding, update) };
    }
}
