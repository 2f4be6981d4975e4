using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Correlator.Cli;

public static class ExplainCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("FINDING_ID") { Description = "A finding id (F-…), as `suspects` lists them" };
        var command = new Command("explain", "Why the engine suspects an update: the explanation, the evidence and the finding's history") { id };
        command.WithQueryOptions();
        command.SetAction((parse, ct) => QueryOptions.RunAsync(parse, async (source, output) =>
        {
            var findingId = parse.GetValue(id)!;
            var view = await source.FindingAsync(findingId, ct);
            if (view is null) return await QueryOptions.NotFound(parse, "finding", findingId);
            if (parse.Json()) { await QueryOptions.WriteJsonAsync(output, view); return 0; }

            var f = view.Current;
            var e = f.Evidence;
            var console = Terminal.For(output);
            console.Write(new Panel(Markup.Escape(f.Explanation))
                .Header(Markup.Escape($"{f.FindingId}  {f.Status}  confidence {Terminal.Confidence(f.Confidence)}")));
            console.WriteLine($"Update:   {f.Vendor} {f.Product} {f.Version} ({f.UpdateId})");
            console.WriteLine($"Released: {Terminal.When(e.ReleasedAt)}{(e.RecalledAt is { } r ? $"   recalled {Terminal.When(r)}" : "")}   exposure by {e.ExposureBasis}");
            console.WriteLine($"First failure {Terminal.When(f.FirstFailureAt)}, detected {Terminal.When(view.DetectedAt)}; prior {N(e.PriorProbability)}, posterior {N(e.Posterior)}");
            if (e.Signatures.Count > 0)
            {
                var table = new Table().Title("Crash signatures").AddColumns("Signature", "Crashes", "Hosts", "Unexposed hosts",
                    "Rate before/h", "Rate after/h", "Lift", "Rise p", "Module match", "Min to failure", "Posterior");
                foreach (var s in e.Signatures)
                    table.AddRow(Markup.Escape(s.Signature), s.Crashes.ToString(CultureInfo.InvariantCulture), s.Hosts.ToString(CultureInfo.InvariantCulture),
                        s.UnexposedHosts.ToString(CultureInfo.InvariantCulture), N(s.RateBefore), N(s.RateAfter), N(s.Lift), P(s.RisePValue),
                        s.ModuleMatch ? Markup.Escape(s.Module) : "no", N(s.MinutesFromExposureToFailure), N(s.Posterior));
                console.Write(table);
            }
            if (e.Services.Count > 0)
            {
                var table = new Table().Title("Service degradations").AddColumns("Service", "Region", "Status", "Named by update", "Region targeted",
                    "Exposed degraded", "Unexposed degraded", "Min to failure", "Posterior");
                foreach (var s in e.Services)
                    table.AddRow(Markup.Escape(s.Service), Markup.Escape(s.Region), Markup.Escape(s.Status), s.NamedByUpdate ? "yes" : "no",
                        s.RegionTargeted ? "yes" : "no", s.ExposedDegraded.ToString(CultureInfo.InvariantCulture),
                        s.UnexposedDegraded.ToString(CultureInfo.InvariantCulture), N(s.MinutesFromExposureToFailure), N(s.Posterior));
                console.Write(table);
            }
            if (await source.BlastRadiusAsync(findingId, ct) is { } blast) BlastRadiusTable(console, blast);
            var history = new Table().Title("History").AddColumns("At", "What", "Status", "Confidence", "Note");
            foreach (var h in view.History)
                history.AddRow(Terminal.When(h.At), Markup.Escape(h.Kind), Markup.Escape(h.Status), Terminal.Confidence(h.Confidence), Markup.Escape(h.Note ?? ""));
            console.Write(history);
            return 0;
        }));
        return command;
    }

    private static void BlastRadiusTable(IAnsiConsole console, Rollouts.BlastRadiusReport b)
    {
        console.WriteLine($"Blast radius: {b.FailingHosts} failing exposed hosts against {b.ReferenceHosts} exposed hosts that did not fail " +
            $"({b.ExposedUndescribed} exposed hosts never reported a crash, so their attributes are unknown); {b.NotExposedHosts} known hosts not exposed.");
        if (b.Attributes.Count == 0) { console.WriteLine($"No attribute of {b.AttributesTested} sets the failing hosts apart (Fisher exact, Bonferroni, p < 0.01)."); return; }
        var table = new Table().Title("What sets the failing hosts apart").AddColumns("Attribute", "Value", "Failing", "Not failing", "p (adjusted)", "Not yet exposed sharing it");
        foreach (var a in b.Attributes)
            table.AddRow(Markup.Escape(a.Attribute), Markup.Escape(a.Value), $"{a.FailingShare:P0} ({a.Failing})", $"{a.ReferenceShare:P0} ({a.Reference})", P(a.AdjustedPValue),
                a.NotYetExposedSharing.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        if (b.Profile is { } p)
            console.WriteLine($"At risk: {p.NotYetExposedSharing} hosts not yet exposed have all of {string.Join(", ", p.Attributes)} ({p.FailingSharing} of the failing hosts do).");
    }

    private static string N(double v) => double.IsFinite(v) ? v.ToString(Math.Abs(v) >= 100 ? "N0" : "0.###", CultureInfo.InvariantCulture) : v > 0 ? "∞" : "-";
    private static string P(double p) => p == 0 ? "< 1e-300" : p < 0.001 ? p.ToString("0.0e0", CultureInfo.InvariantCulture) : p.ToString("0.###", CultureInfo.InvariantCulture);
}
