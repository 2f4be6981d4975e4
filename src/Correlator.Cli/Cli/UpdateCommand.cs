using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Correlator.Cli;

public static class UpdateCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("UPDATE_ID") { Description = "e.g. crowdstrike/falcon-content/C-00000291-00000000-00000032" };
        var command = new Command("update", "An update's impact: release, recall, exposure, failures after it, findings naming it") { id };
        command.WithQueryOptions();
        command.SetAction((parse, ct) => QueryOptions.RunAsync(parse, async (source, output) =>
        {
            var updateId = parse.GetValue(id)!;
            var u = await source.UpdateAsync(updateId, ct);
            if (u is null) return await QueryOptions.NotFound(parse, "update", updateId);
            if (parse.Json()) { await QueryOptions.WriteJsonAsync(output, u); return 0; }

            var console = Terminal.For(output);
            var r = u.Release;
            console.Write(new Rule(Markup.Escape(r is null ? u.UpdateId : $"{r.Vendor} {r.Product} {r.Version}")).LeftJustified());
            console.WriteLine($"Update:    {u.UpdateId}");
            if (r is not null)
            {
                console.WriteLine($"Released:  {Terminal.When(r.ReleasedAt)}  ({r.Kind ?? "kind unknown"}, {r.Manifests} manifest(s))");
                var targets = string.Join("; ", new[] { ("platforms", r.Platforms), ("regions", r.Targets.Regions), ("fleets", r.Targets.Fleets),
                        ("services", r.Targets.Services), ("OS", r.Targets.OsVersions), ("affects", r.Affects), ("ships", r.Artifacts.Select(a => a.Name).ToList()) }
                    .Where(x => x.Item2 is { Count: > 0 }).Select(x => $"{x.Item1} {string.Join(", ", x.Item2!)}"));
                if (targets.Length > 0) console.WriteLine($"Targets:   {targets}");
            }
            else console.WriteLine("Released:  no release manifest seen");
            if (u.Recall is { } recall) console.WriteLine($"Recalled:  {Terminal.When(recall.RecalledAt)}  {recall.Reason}");
            console.WriteLine(u.Exposure.Basis == "installations"
                ? $"Exposure:  {u.Exposure.InstalledHosts} host(s) installed it, {Terminal.When(u.Exposure.FirstInstalledAt!.Value)} to {Terminal.When(u.Exposure.LastInstalledAt!.Value)}"
                : "Exposure:  every host its manifest targets (no installations reported)");

            var failures = new Table().Title($"Crashes {Terminal.When(u.Failures.From)} to {Terminal.When(u.Failures.To)}, by signature and region")
                .AddColumns("Signature", "Region", "Crashes", "First", "Peak minute");
            foreach (var s in u.Failures.Series.Take(15))
            {
                var peak = s.PerMinute.MaxBy(m => m.Count)!;
                failures.AddRow(Markup.Escape(s.Signature), Markup.Escape(s.Region), s.Crashes.ToString(CultureInfo.InvariantCulture),
                    Terminal.When(s.PerMinute[0].At), $"{Terminal.When(peak.At)} ({peak.Count})");
            }
            if (u.Failures.Series.Count > 15) failures.Caption($"{u.Failures.Series.Count - 15} more series in --json");
            console.Write(failures);

            if (u.Findings.Count == 0) console.WriteLine("No finding names this update.");
            foreach (var f in u.Findings)
                console.WriteLine($"Finding {f.FindingId}  {f.Status}  confidence {Terminal.Confidence(f.Confidence)}: {f.Explanation}");
            return 0;
        }));
        return command;
    }
}
