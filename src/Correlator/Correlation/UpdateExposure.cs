using Correlator.Ingestion.Events;

namespace Correlator.Correlation;

/// <summary>
/// Everything known about one update: its release manifests (a later one amends: its targets add to the
/// earlier ones and take effect from its own release time), installations and recall; and who is exposed when.
/// </summary>
public sealed class UpdateExposure(string updateId)
{
    private readonly List<UpdateReleased> _releases = [];
    private readonly Dictionary<string, DateTimeOffset> _installs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _modules = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _moduleVersions = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _services = new(StringComparer.OrdinalIgnoreCase);

    public string UpdateId { get; } = updateId;
    public UpdateReleased? First => _releases.Count == 0 ? null : _releases[0];
    public IReadOnlyList<UpdateReleased> Releases => _releases;
    public IReadOnlyDictionary<string, DateTimeOffset> Installs => _installs;
    public DateTimeOffset? RecalledAt { get; private set; }

    /// <summary>Installation records decide exposure once there are any; otherwise the manifests' targets do.</summary>
    public bool InstallBased => _installs.Count > 0;

    /// <summary>
    /// A configuration or content change (contract <c>kind</c> <c>config</c>/<c>content</c>): data read by running
    /// code, in full effect from the moment it reaches a unit, with nothing installed that could build up state.
    /// </summary>
    public bool TakesEffectAtOnce => _releases.Count > 0 && _releases.All(r => r.Kind is { } k &&
        (k.Equals("config", StringComparison.OrdinalIgnoreCase) || k.Equals("content", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Whether this update replaces <paramref name="older"/> where both reach a host: a manifest says so
    /// (<c>supersedes</c>), or it is a later version of the same vendor's product that is installed or content (a newer
    /// channel file, definition set or agent build takes the place of the previous one). Configurations are not:
    /// two feature flags of one product are two different changes.
    /// </summary>
    public bool Supersedes(UpdateExposure older)
    {
        if (older == this || First is not { } mine || older.First is not { } theirs) return false;
        if (_releases.Any(r => string.Equals(r.Supersedes, older.UpdateId, StringComparison.Ordinal))) return true;
        if (IsConfig || older.IsConfig) return false;
        return string.Equals(mine.Vendor, theirs.Vendor, StringComparison.OrdinalIgnoreCase) &&
               string.Equals(mine.Product, theirs.Product, StringComparison.OrdinalIgnoreCase) &&
               ReleasedAt > older.ReleasedAt;
    }

    /// <summary>Content (contract <c>kind</c> <c>content</c>): data read by the code it lists in <c>affects</c>.</summary>
    public bool IsContent => _releases.Count > 0 && _releases.All(r => string.Equals(r.Kind, "content", StringComparison.OrdinalIgnoreCase));

    private bool IsConfig => _releases.Any(r => string.Equals(r.Kind, "config", StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether it lists any artifact or affected module (so a non-match says something).</summary>
    public bool ListsModules => _modules.Count > 0;

    /// <summary>The update's own release time: the earliest manifest's releasedAt.</summary>
    public DateTimeOffset ReleasedAt => _releases.Count == 0 ? DateTimeOffset.MaxValue : _releases.Min(r => r.ReleasedAt);

    /// <summary>When the first host could be exposed.</summary>
    public DateTimeOffset ExposureStart { get; private set; } = DateTimeOffset.MaxValue;

    public void AddRelease(UpdateReleased r)
    {
        _releases.Add(r);
        // Amendments often repeat the first release time: among those, the one known first is the first manifest.
        _releases.Sort((a, b) => a.ReleasedAt != b.ReleasedAt ? a.ReleasedAt.CompareTo(b.ReleasedAt)
            : a.ObservedAt != b.ObservedAt ? a.ObservedAt.CompareTo(b.ObservedAt) : string.CompareOrdinal(a.Id, b.Id));
        foreach (var a in r.Artifacts ?? [])
        {
            _modules.Add(a.Name.Trim());
            if (!_moduleVersions.TryGetValue(a.Name.Trim(), out var v) || v is null) _moduleVersions[a.Name.Trim()] = a.Version;
        }
        foreach (var a in r.Affects ?? [])
        {
            _modules.Add(a.Trim());
            _services.Add(a.Trim());
            _moduleVersions.TryAdd(a.Trim(), null);
        }
        foreach (var s in r.Targets?.Services ?? []) _services.Add(s.Trim());
        RecomputeStart();
    }

    public void AddInstall(UpdateInstalled i)
    {
        if (!_installs.TryGetValue(i.HostId, out var at) || i.InstalledAt < at) _installs[i.HostId] = i.InstalledAt;
        if (i.InstalledAt < ExposureStart || _installs.Count == 1) RecomputeStart();
    }

    public void Recall(UpdateRecalled r)
    {
        if (RecalledAt is null || r.RecalledAt < RecalledAt) RecalledAt = r.RecalledAt;
    }

    private void RecomputeStart()
    {
        if (_starts.Count != _releases.Count)
        {
            _starts.Clear();
            for (var i = 0; i < _releases.Count; i++) _starts.Add(StartOf(i));
        }
        if (InstallBased) { ExposureStart = _installs.Values.Min(); return; }
        ExposureStart = _releases.Count == 0 ? DateTimeOffset.MaxValue : _starts.Min();
    }

    private readonly List<DateTimeOffset> _starts = [];

    /// <summary>
    /// When what a manifest adds takes effect: the first manifest from its first wave (or release time); an amendment
    /// from the earliest wave it is the first to list (the wave that reaches its new targets), else its own release time.
    /// </summary>
    private DateTimeOffset StartOf(int index)
    {
        var r = _releases[index];
        var waves = r.Rollout?.Where(w => w.Percent > 0).Select(w => w.StartsAt).ToList();
        if (index > 0 && waves is { Count: > 0 })
        {
            var earlier = _releases.Take(index).SelectMany(x => x.Rollout ?? []).Select(w => w.StartsAt).ToHashSet();
            waves = waves.Where(w => !earlier.Contains(w)).ToList();
        }
        return waves is { Count: > 0 } ? waves.Min() : r.ReleasedAt;
    }

    /// <summary>The module (lower-cased, as in signatures) is one the update ships or affects, at the same
    /// version when both versions are known.</summary>
    public bool MatchesModule(string module, string? moduleVersion)
    {
        if (module == Signature.Unknown) return false;
        // Linux signatures name kernel modules without the file extension the artifact carries (netflow_mon.ko).
        if (!_modules.Contains(module))
        {
            if (_modules.Contains(module + ".ko")) module += ".ko";
            else return false;
        }
        var v = _moduleVersions.GetValueOrDefault(module);
        return v is null || moduleVersion is null || string.Equals(v, moduleVersion, StringComparison.OrdinalIgnoreCase);
    }

    public bool NamesService(string service) => _services.Contains(service);

    /// <summary>
    /// A change to services everywhere (names services, no regions, not host software): like a regional change's
    /// cascade to the other services of its regions, it may take down the services that depend on the ones it names.
    /// </summary>
    public bool CascadesEverywhere => !InstallBased && _services.Count > 0 && _releases.All(r =>
        r.Targets?.Regions is not { Count: > 0 } && r.Platforms is not { Count: > 0 });

    public bool TargetsRegion(string? region) =>
        region is not null && _releases.Any(r => r.Targets?.Regions?.Contains(region, StringComparer.OrdinalIgnoreCase) == true);

    /// <summary>True when no manifest restricts the exposure along that dimension (heterogeneity is tested there).</summary>
    public bool Unrestricted(Func<UpdateTargets, IReadOnlyList<string>?> dimension) =>
        InstallBased || _releases.All(r => r.Targets is null || dimension(r.Targets) is not { Count: > 0 });

    /// <summary>When <paramref name="host"/> became exposed, or null if it is not exposed at all.</summary>
    public DateTimeOffset? ExposedSince(KnownHost host)
    {
        if (InstallBased) return _installs.TryGetValue(host.HostId, out var at) ? at : null;
        DateTimeOffset? best = null;
        for (var i = 0; i < _releases.Count; i++)
        {
            if (!Matches(_releases[i], host)) continue;
            var s = _starts[i];
            if (best is null || s < best) best = s;
        }
        return best;
    }

    /// <summary>A manifest-scoped update whose every release names target fleets.</summary>
    public bool TargetsFleets => !InstallBased && _releases.Count > 0 &&
        _releases.All(r => (r.Targets?.Fleets is { Count: > 0 } ? r.Targets.Fleets : _releases[0].Targets?.Fleets) is { Count: > 0 });

    /// <summary>Whether the update reaches hosts at all (a manifest that only targets services does not).</summary>
    public bool ExposesHosts => InstallBased || _releases.Any(r =>
        r.Platforms is { Count: > 0 } || r.Targets is null ||
        r.Targets.Regions is { Count: > 0 } || r.Targets.Fleets is { Count: > 0 } || r.Targets.OsVersions is { Count: > 0 } ||
        r.Targets.Services is not { Count: > 0 });

    public bool CoversPlatform(string platform) =>
        InstallBased || _releases.Any(r => r.Platforms is not { Count: > 0 } || r.Platforms.Contains(platform, StringComparer.OrdinalIgnoreCase));

    private bool Matches(UpdateReleased r, KnownHost h)
    {
        // An amendment inherits each dimension it leaves out from the first manifest.
        var first = _releases[0];
        var platforms = r.Platforms is { Count: > 0 } ? r.Platforms : first.Platforms;
        var t = r.Targets;
        var regions = t?.Regions is { Count: > 0 } ? t.Regions : first.Targets?.Regions;
        var fleets = t?.Fleets is { Count: > 0 } ? t.Fleets : first.Targets?.Fleets;
        var os = t?.OsVersions is { Count: > 0 } ? t.OsVersions : first.Targets?.OsVersions;
        var services = t?.Services is { Count: > 0 } ? t.Services : first.Targets?.Services;
        var hostScoped = platforms is { Count: > 0 } || regions is { Count: > 0 } || fleets is { Count: > 0 } || os is { Count: > 0 };
        if (!hostScoped && services is { Count: > 0 }) return false;
        if (platforms is { Count: > 0 } && (h.Platform is null || !platforms.Contains(h.Platform, StringComparer.OrdinalIgnoreCase))) return false;
        // A place the host's reports never named is unknown, not elsewhere: it may be a target (UnplacedHosts).
        if (regions is { Count: > 0 } && h.Region is not null && !regions.Contains(h.Region, StringComparer.OrdinalIgnoreCase)) return false;
        if (fleets is { Count: > 0 } && h.Fleet is not null && !fleets.Contains(h.Fleet, StringComparer.OrdinalIgnoreCase)) return false;
        if (os is { Count: > 0 } && h.OsVersion is not null && !os.Any(v => h.OsVersion.StartsWith(v, StringComparison.OrdinalIgnoreCase))) return false;
        return true;
    }

    /// <summary>Exposure of service regions: named by the update (targets.services/affects) within its target
    /// regions, or in a region a region-scoped update targets, unless it is host software (installed, or a manifest
    /// scoped to platforms): that acts on the hosts it is installed on, and reaches a service only by naming it.</summary>
    public DateTimeOffset? ServiceExposedSince(string service, string region)
    {
        DateTimeOffset? best = null;
        var named = NamesService(service);
        for (var i = 0; i < _releases.Count; i++)
        {
            var r = _releases[i];
            var regions = r.Targets?.Regions is { Count: > 0 } ? r.Targets.Regions : _releases[0].Targets?.Regions;
            var inRegion = regions is { Count: > 0 } && regions.Contains(region, StringComparer.OrdinalIgnoreCase);
            var hostSoftware = InstallBased || (r.Platforms is { Count: > 0 } ? r.Platforms : _releases[0].Platforms) is { Count: > 0 };
            var ok = named ? regions is not { Count: > 0 } || inRegion : inRegion && !hostSoftware;
            if (!ok) continue;
            var s = _starts[i];
            if (best is null || s < best) best = s;
        }
        return best;
    }
}
