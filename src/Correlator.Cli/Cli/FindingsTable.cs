using Correlator.Correlation;
using Correlator.Findings;
using Spectre.Console;

namespace Correlator.Cli;

/// <summary>Findings as a terminal table, with each explanation underneath.</summary>
public static class FindingsTable
{
    public static void Write(IAnsiConsole console, IReadOnlyList<Finding> findings)
    {
        // Redirected output has no terminal width; don't squeeze the table into 80 columns.
        if (Console.IsOutputRedirected && console.Profile.Width < 160) console.Profile.Width = 160;
        if (findings.Count == 0)
        {
            console.MarkupLine("[green]No findings: no update explains the failures.[/]");
            return;
        }
        var ordered = FindingOrder.Sort(findings);
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Finding").AddColumn("Update").AddColumn("Status").AddColumn(new TableColumn("Confidence").RightAligned())
            .AddColumn("Explains").AddColumn("First failure (UTC)").AddColumn("Detected (UTC)");
        foreach (var f in ordered)
        {
            var explains = f.Signatures.Select(s => $"{s.Signature} ({s.Crashes} crashes, {s.Hosts} hosts)")
                .Concat(f.Services.Select(s => $"{s.Service} @ {s.Region} ({s.Status})"));
            table.AddRow(
                Markup.Escape(f.FindingId),
                Markup.Escape($"{f.Vendor} {f.Product} {f.Version}"),
                Markup.Escape(f.Status),
                $"[{(f.Confidence >= 0.8 ? "red" : "yellow")}]{f.Confidence:0.00}[/]",
                Markup.Escape(string.Join("\n", explains.Take(6)) + (f.Signatures.Count + f.Services.Count > 6 ? $"\n… {f.Signatures.Count + f.Services.Count - 6} more" : "")),
                f.FirstFailureAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"),
                $"{f.DetectedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}\n(+{Humanize(f.DetectedAt - f.FirstFailureAt)})");
        }
        console.Write(table);
        foreach (var f in ordered)
            console.MarkupLine($"[bold]{Markup.Escape(f.FindingId)}[/] {Markup.Escape(f.Explanation)}");
    }

    private static string Humanize(TimeSpan t) =>
        t < TimeSpan.Zero ? "before first failure"
        : t.TotalMinutes < 1 ? $"{t.TotalSeconds:0} s"
        : t.TotalHours < 2 ? $"{t.TotalMinutes:0} min"
        : $"{t.TotalHours:0.0} h";
}
