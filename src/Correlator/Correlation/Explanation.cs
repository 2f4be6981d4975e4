using System.Globalization;

namespace Correlator.Correlation;

/// <summary>The one or two sentences an SRE pastes into an incident channel.</summary>
public static class Explanation
{
    private static readonly CultureInfo En = CultureInfo.InvariantCulture;

    public static string For(Finding f, UpdateExposure update)
    {
        var released = $"released {update.ReleasedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", En)} UTC"
                       + (update.RecalledAt is { } r ? $", recalled {r.UtcDateTime.ToString("HH:mm", En)} UTC" : "");
        var who = $"{f.Vendor} {f.Product} {f.Version} ({released})";
        var verb = f.Status switch
        {
            FindingStatus.Confirmed => "is the confirmed cause of",
            FindingStatus.Resolved => "was the probable cause of",
            FindingStatus.Dismissed => "was suspected (dismissed) of causing",
            _ => "is the probable cause of",
        };
        var parts = new List<string>();
        var top = f.Evidence.Signatures.OrderByDescending(s => s.Crashes).FirstOrDefault();
        if (top is not null)
        {
            var crashes = f.Signatures.Sum(s => s.Crashes);
            var hosts = f.Signatures.Sum(s => s.Hosts);
            // Name every platform that is failing, with its share when there are several (a storage change that hangs
            // Linux file systems and crashes Windows storage drivers is not a Windows incident).
            var platforms = f.Signatures.GroupBy(s => PlatformOf(s.Signature))
                .Select(g => (Name: g.Key, Crashes: g.Sum(s => s.Crashes)))
                .OrderByDescending(p => p.Crashes).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
            var platformNames = platforms.Count == 1 ? platforms[0].Name
                : string.Join(", ", platforms.Take(platforms.Count - 1).Select(p => p.Name)) + " and " + platforms[^1].Name;
            var mix = platforms.Count > 1
                ? string.Join(", ", platforms.Select((p, i) => $"{p.Crashes.ToString("N0", En)}{(i == 0 ? " crashes" : "")} on {p.Name}")) + "; "
                : "";
            var how = Describe(top.Signature);
            var link = top.ModuleMatch ? $", which the update {(update.Releases.Any(x => x.Artifacts?.Any(a => a.Name.Equals(top.Module, StringComparison.OrdinalIgnoreCase)) == true) ? "ships" : "affects")}" : "";
            var more = f.Signatures.Count > 1 ? $" and {f.Signatures.Count - 1} related signature{(f.Signatures.Count > 2 ? "s" : "")}" : "";
            parts.Add($"{crashes.ToString("N0", En)} crashes on {hosts.ToString("N0", En)} {platformNames} hosts ({mix}{how}{link}{more})");
        }
        if (f.Services.Count > 0)
        {
            var byRegion = f.Services.GroupBy(s => s.Region).Select(g => $"{string.Join(", ", g.Select(s => s.Service))} in {g.Key}");
            parts.Add($"the degradation of {string.Join("; ", byRegion)}");
        }
        var sentence = $"{who} {verb} {string.Join(" and ", parts)}";
        if (top is not null)
        {
            var lift = double.IsFinite(top.Lift) ? $"rose {FormatLift(top.Lift)}×" : "rose from nothing";
            var unexposed = top.UnexposedHosts == 0 ? "no unexposed host crashed" : $"{top.UnexposedHosts} unexposed host{(top.UnexposedHosts == 1 ? "" : "s")} crashed";
            sentence += $"; the crash rate on exposed hosts {lift} within {Duration(top.MinutesFromExposureToFailure)} of exposure and {unexposed}.";
        }
        else if (f.Evidence.Services.Count > 0)
        {
            var s = f.Evidence.Services.OrderBy(x => x.MinutesFromExposureToFailure).First();
            sentence += $"; degradation began {Duration(s.MinutesFromExposureToFailure)} after exposure in regions it {(s.NamedByUpdate ? "changes" : "targets")}, while {s.UnexposedDegraded} unexposed service region{(s.UnexposedDegraded == 1 ? " was" : "s were")} degraded.";
        }
        else sentence += ".";
        return sentence + $" Confidence {f.Confidence.ToString("0.00", En)}.";
    }

    /// <summary>"Windows" for <c>windows-kernel:…</c>, "Linux" for <c>linux-kernel:…</c>, "macOS" for <c>macos-…</c>.</summary>
    public static string PlatformOf(string signature)
    {
        var platform = signature.Split(':')[0].Split('-')[0];
        return platform.ToLowerInvariant() switch
        {
            "" => "unknown",
            "macos" or "darwin" => "macOS",
            "ios" => "iOS",
            var p => char.ToUpperInvariant(p[0]) + p[1..],
        };
    }

    private static string FormatLift(double lift) => lift >= 10 ? Math.Round(lift).ToString("N0", En) : lift.ToString("0.0", En);

    private static string Duration(double minutes) => minutes switch
    {
        < 1 => "a minute",
        < 90 => $"{Math.Ceiling(minutes).ToString(En)} minutes",
        < 48 * 60 => $"{Math.Round(minutes / 60).ToString(En)} hours",
        _ => $"{Math.Round(minutes / 1440).ToString(En)} days",
    };

    /// <summary>"bugcheck 0x50 in csagent.sys", "SIGSEGV in libc.so.6 (nginx)", "page-fault in nvme".</summary>
    public static string Describe(string signature)
    {
        var p = signature.Split(':');
        if (p.Length < 3) return signature;
        var code = p[1].StartsWith("0x", StringComparison.Ordinal) && ulong.TryParse(p[1][2..], NumberStyles.HexNumber, En, out var v)
            ? $"0x{v:X}" : p[1];
        return p[0] switch
        {
            "windows-kernel" => $"bugcheck {code} in {p[2]}",
            "windows-user" => $"exception {code} in {p[2]}{(p.Length > 3 ? $" ({p[3]})" : "")}",
            _ when p[0].EndsWith("-kernel", StringComparison.Ordinal) => $"kernel {code} in {p[2]}",
            _ => $"{code} in {p[2]}{(p.Length > 3 ? $" ({p[3]})" : "")}",
        };
    }
}
