using System.Globalization;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>Updates that change something in the fleet and cause nothing: the everyday traffic a culprit hides in.</summary>
internal static class RandomizedInnocents
{
    public static string Version(RandomizedWorld w) => string.Create(CultureInfo.InvariantCulture, $"{w.Int(1, 9)}.{w.Int(0, 30)}.{w.Int(0, 9999)}");

    /// <summary>A few innocent updates of assorted kinds at random times in the window.</summary>
    public static void Add(RandomizedWorld w, RandomizedSink sink, List<string> innocents, List<string> notes)
    {
        var count = w.Int(3, 7);
        for (var i = 0; i < count; i++)
        {
            var at = w.Between(w.Start, w.End - TimeSpan.FromHours(2));
            switch (w.Int(0, 3))
            {
                case 0: innocents.Add(Installed(w, sink, at, hosts: null)); break;
                case 1: innocents.AddRange(Definitions(w, sink, at)); break;
                case 2: innocents.Add(Flag(w, sink, at, w.Pick(w.Regions), service: w.Pick(w.Services).Service)); break;
                default: innocents.Add(Deploy(w, sink, at)); break;
            }
        }
        notes.Add($"{innocents.Count} innocent updates (patches, definitions, flags, deploys)");
    }

    /// <summary>
    /// An innocent installed update on <paramref name="hosts"/> (default: most of a random fleet), installed in a
    /// maintenance window from <paramref name="at"/> or at the given per-host times.
    /// </summary>
    public static string Installed(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at, IReadOnlyList<(RHost Host, DateTimeOffset At)>? hosts,
        string? platform = null, bool withInstallations = true)
    {
        var fleet = platform is null ? w.Pick(w.Fleets) : w.Pick(w.FleetsOf(platform).ToList());
        var candidates = RandomizedCatalog.Innocent.Where(p => p.Platform == fleet.Platform).ToList();
        var p = w.Pick(candidates);
        var version = p.Kind == "os-patch" && p.Platform == "windows" ? $"KB50{w.Int(40000, 59999)}" : Version(w);
        var updateId = w.Unique($"{Slug(p.Vendor)}/{p.Product}/{version}");
        var installs = hosts ?? w.Sample(fleet.Hosts, (int)(fleet.Hosts.Count * w.U(0.5, 1))).Select(h => (h, at + w.Minutes(0, 90))).ToList();
        var first = installs.Count == 0 ? at : installs.Min(x => x.At);
        sink.Release(new UpdateReleased("", updateId, p.Vendor, p.Product, version, first - w.Minutes(5, 600), p.Kind, [fleet.Platform],
            withInstallations ? null : new UpdateTargets(Fleets: installs.Select(x => x.Host.Fleet).Distinct().Order(StringComparer.Ordinal).ToList()),
            p.Artifacts.Select(a => new Artifact(a, version)).ToList()));
        if (withInstallations)
            foreach (var (host, t) in installs) sink.Install(updateId, host, t);
        return updateId;
    }

    /// <summary>Signature definitions pushed every few hours (content, no installations).</summary>
    public static List<string> Definitions(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at)
    {
        var every = w.Hours(3, 8);
        var baseVersion = w.Int(100, 900);
        var ids = new List<string>();
        for (var t = at; t < w.End && ids.Count < 6; t += every)
        {
            var version = string.Create(CultureInfo.InvariantCulture, $"1.{baseVersion}.{ids.Count}");
            var id = w.Unique($"woodgrove/av-definitions/{version}");
            sink.Release(new UpdateReleased("", id, "Woodgrove", "av-definitions", version, t, "content", ["windows"], Affects: ["wgav.sys"]));
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>A configuration change in <paramref name="region"/> naming <paramref name="service"/>.</summary>
    public static string Flag(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at, string region, string service)
    {
        var name = w.Pick(RandomizedCatalog.ConfigProducts);
        var version = $"{at:yyyyMMdd}.{w.Int(1, 99)}";
        var id = w.Unique($"internal/{name}/{version}");
        sink.Release(new UpdateReleased("", id, "internal", name, version, at, "config", null,
            new UpdateTargets(Regions: [region], Services: [service])));
        return id;
    }

    private static string Deploy(RandomizedWorld w, RandomizedSink sink, DateTimeOffset at)
    {
        var fleet = w.Pick(w.Fleets);
        var version = $"{at:yyyy.MM.dd}.{w.Int(1, 400)}";
        var id = w.Unique($"internal/{fleet.Name}-app/{version}");
        sink.Release(new UpdateReleased("", id, "internal", fleet.Name + "-app", version, at, "application", [fleet.Platform],
            new UpdateTargets(Fleets: [fleet.Name]), [new Artifact(fleet.Name.Replace("-", "", StringComparison.Ordinal) + (fleet.Platform == "windows" ? ".exe" : ""))]));
        foreach (var h in fleet.Hosts.Where(_ => w.Chance(0.9))) sink.Install(id, h, at + w.Minutes(1, 45));
        return id;
    }

    public static string Slug(string s) => s.ToLowerInvariant().Replace(' ', '-');
}
