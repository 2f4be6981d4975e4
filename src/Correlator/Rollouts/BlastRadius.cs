using Correlator.Correlation;

namespace Correlator.Rollouts;

/// <summary>
/// A finding's blast radius, the way Socorro's correlations read crash reports: which attributes (platform, region,
/// fleet, OS build, loaded module, module version) are more common among the exposed hosts that failed with the
/// finding's signatures than among the exposed hosts that did not, with a one-sided Fisher exact test per attribute
/// (Bonferroni-adjusted over every attribute tested), and how many hosts not yet exposed share them.
/// <para>
/// Attributes come from crash reports, so only hosts that reported a crash at some time are described; exposed hosts
/// known only from installation records are counted in <see cref="BlastRadiusReport.ExposedUndescribed"/> and left out.
/// The version of a module the update itself ships is left out too: it differs because of the exposure, not before it.
/// </para>
/// </summary>
public static class BlastRadius
{
    public const double Significance = 0.01;
    public const int MaxAttributes = 15;
    /// <summary>An attribute at least this common among the failing hosts joins the profile of the hosts at risk.</summary>
    public const double ProfileShare = 0.9;

    public static BlastRadiusReport Of(string findingId, string updateId, IReadOnlyCollection<string> signatures,
        IReadOnlyDictionary<string, DateTimeOffset> exposed, IReadOnlyList<FleetHost> hosts, IEnumerable<string> shippedModules, DateTimeOffset asOf)
    {
        var shipped = shippedModules.Select(m => m.Trim().ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var wanted = signatures.ToHashSet(StringComparer.Ordinal);
        var failing = new List<FleetHost>();
        var reference = new List<FleetHost>();
        var notExposed = new List<FleetHost>();
        var undescribed = 0;
        foreach (var h in hosts)
        {
            if (!exposed.TryGetValue(h.Id, out var e))
            {
                if (h.Described) notExposed.Add(h);
                continue;
            }
            if (!h.Described) { undescribed++; continue; }
            var failed = h.Failures.Any(f => f.At >= e && f.At <= asOf && wanted.Contains(f.Signature));
            (failed ? failing : reference).Add(h);
        }

        var attributes = new Dictionary<string, (int Failing, int Reference)>(StringComparer.Ordinal);
        foreach (var h in failing) foreach (var a in AttributesOf(h, shipped)) attributes[a] = (attributes.GetValueOrDefault(a).Failing + 1, attributes.GetValueOrDefault(a).Reference);
        foreach (var h in reference) foreach (var a in AttributesOf(h, shipped)) if (attributes.TryGetValue(a, out var c)) attributes[a] = (c.Failing, c.Reference + 1);
        var tested = attributes.Count;
        var rows = new List<BlastAttribute>();
        if (failing.Count > 0)
        {
            var total = failing.Count + reference.Count;
            foreach (var (key, (f, r)) in attributes)
            {
                double fShare = (double)f / failing.Count, rShare = reference.Count > 0 ? (double)r / reference.Count : 0;
                if (fShare <= rShare) continue;
                var p = Math.Exp(LogFisherUpper(f, failing.Count, f + r, total));
                var adjusted = Math.Min(1, p * tested);
                if (adjusted >= Significance) continue;
                var (attribute, value) = Split(key);
                rows.Add(new BlastAttribute(attribute, value, f, r, Math.Round(fShare, 4), Math.Round(rShare, 4), p, adjusted,
                    notExposed.Count(h => AttributesOf(h, shipped).Contains(key))));
            }
        }
        rows = rows.OrderBy(a => a.AdjustedPValue).ThenByDescending(a => a.FailingShare - a.ReferenceShare).ThenBy(a => a.Attribute, StringComparer.Ordinal)
            .ThenBy(a => a.Value, StringComparer.Ordinal).Take(MaxAttributes).ToList();
        var profile = rows.Where(a => a.FailingShare >= ProfileShare).Select(a => $"{a.Attribute}={a.Value}").ToList();
        BlastProfile? atRisk = profile.Count == 0 ? null : new BlastProfile(profile,
            failing.Count(h => profile.All(AttributesOf(h, shipped).Contains)),
            notExposed.Count(h => profile.All(AttributesOf(h, shipped).Contains)));
        return new BlastRadiusReport(findingId, updateId, signatures.Order(StringComparer.Ordinal).ToList(), failing.Count, reference.Count, undescribed,
            notExposed.Count, tested, rows, atRisk, asOf);
    }

    private static HashSet<string> AttributesOf(FleetHost h, HashSet<string> shipped)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (h.Platform is { } p) set.Add("platform=" + p);
        if (h.Region is { } r) set.Add("region=" + r);
        if (h.Fleet is { } f) set.Add("fleet=" + f);
        if (h.OsVersion is { } o) set.Add("os=" + o);
        foreach (var (name, version) in h.Modules)
        {
            set.Add("module=" + name);
            if (version is not null && !shipped.Contains(name)) set.Add($"module={name}@{version}");
        }
        return set;
    }

    private static (string, string) Split(string key)
    {
        var i = key.IndexOf('=');
        return (key[..i], key[(i + 1)..]);
    }

    /// <summary>ln P(X ≥ k) for X ~ Hypergeometric(population, successes, draws): the one-sided Fisher exact p-value.</summary>
    public static double LogFisherUpper(int k, int draws, int successes, int population)
    {
        var max = Math.Min(draws, successes);
        if (k <= Math.Max(0, draws + successes - population)) return 0;
        var denominator = Statistics.LogChoose(population, draws);
        double top = double.NegativeInfinity;
        var terms = new List<double>();
        for (var x = k; x <= max; x++)
        {
            var t = Statistics.LogChoose(successes, x) + Statistics.LogChoose(population - successes, draws - x) - denominator;
            terms.Add(t);
            top = Math.Max(top, t);
        }
        if (terms.Count == 0) return double.NegativeInfinity;
        return Math.Min(0, top + Math.Log(terms.Sum(t => Math.Exp(t - top))));
    }
}

/// <summary>
/// The answer of <c>GET /api/findings/{id}/blast-radius</c>. <see cref="FailingHosts"/>: exposed hosts that failed with the
/// finding's signatures after their exposure; <see cref="ReferenceHosts"/>: described exposed hosts that did not;
/// <see cref="NotExposedHosts"/>: described hosts the update has not reached.
/// </summary>
public sealed record BlastRadiusReport(
    string FindingId,
    string UpdateId,
    IReadOnlyList<string> Signatures,
    int FailingHosts,
    int ReferenceHosts,
    int ExposedUndescribed,
    int NotExposedHosts,
    int AttributesTested,
    IReadOnlyList<BlastAttribute> Attributes,
    BlastProfile? Profile,
    DateTimeOffset AsOf);

/// <summary>One attribute that sets failing hosts apart: its share among them and among the reference hosts, its p-values,
/// and the hosts not yet exposed that have it.</summary>
public sealed record BlastAttribute(
    string Attribute,
    string Value,
    int Failing,
    int Reference,
    double FailingShare,
    double ReferenceShare,
    double PValue,
    double AdjustedPValue,
    int NotYetExposedSharing);

/// <summary>The attributes nearly every failing host has (share ≥ 90 %), and the hosts not yet exposed that have all of them.</summary>
public sealed record BlastProfile(IReadOnlyList<string> Attributes, int FailingSharing, int NotYetExposedSharing);
