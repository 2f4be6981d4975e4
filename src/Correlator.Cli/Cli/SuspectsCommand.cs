using System.CommandLine;
using Correlator.Api;
using Spectre.Console;

namespace Correlator.Cli;

public static class SuspectsCommand
{
    public static Command Create()
    {
        var status = new Option<string?>("--status") { Description = "suspected | confirmed | dismissed | resolved" };
        var minConfidence = new Option<double?>("--min-confidence") { Description = "Only findings at least this sure (0..1)" };
        var asOf = new Option<string?>("--as-of") { Description = "What the engine believed at this event time (RFC 3339)" };
        var vendor = new Option<string?>("--vendor") { Description = "Only updates from this vendor" };
        var all = new Option<bool>("--all") { Description = $"Every failure a finding explains (default: the first {Shown} per finding)" };
        var command = new Command("suspects", "List the updates suspected of causing failures, most confident first, then by impact") { status, minConfidence, asOf, vendor, all };
        command.WithQueryOptions();
        command.SetAction((parse, ct) => QueryOptions.RunAsync(parse, async (source, output) =>
        {
            var (filter, errors) = FindingsFilter.Parse(parse.GetValue(status), null, null, parse.GetValue(vendor), parse.GetValue(minConfidence),
                parse.GetValue(asOf), 1, Paging.MaxSize);
            if (errors.Count > 0) throw new QueryFailed(string.Join(" ", errors), ExitCodes.Usage);
            var page = await source.FindingsAsync(filter, QueryString(filter, parse.GetValue(asOf)), ct);
            if (parse.Json()) { await QueryOptions.WriteJsonAsync(output, page); return 0; }

            var console = Terminal.For(output);
            if (page.Items.Count == 0) { console.WriteLine(filter.AsOf is { } t ? $"No findings as of {Terminal.When(t)}." : "No findings."); return 0; }
            var table = new Table().AddColumns(new TableColumn("Finding").NoWrap(), new TableColumn("Status"), new TableColumn("Confidence"),
                new TableColumn("Impact").NoWrap(), new TableColumn("Update").NoWrap(), new TableColumn("Failures explained"), new TableColumn("Detected"));
            var hidden = 0;
            foreach (var f in page.Items)
            {
                var explained = Explained(f);
                var shown = parse.GetValue(all) ? explained : explained.Take(Shown).ToList();
                hidden += explained.Count - shown.Count;
                table.AddRow(
                    Markup.Escape(f.FindingId), Markup.Escape(f.Status), Terminal.Confidence(f.Confidence), Impact(f),
                    Markup.Escape($"{f.Vendor} {f.Product} {f.Version}\n{f.UpdateId}"),
                    Markup.Escape(string.Join("\n", explained.Count > shown.Count ? shown.Append($"… {explained.Count - shown.Count} more") : shown)),
                    Terminal.When(f.DetectedAt));
            }
            console.Write(table);
            if (hidden > 0) console.WriteLine($"… {hidden} more explained failures hidden (--all to show)");
            console.WriteLine($"{page.Total} finding(s){(filter.AsOf is { } at ? $" as of {Terminal.When(at)}" : "")}. Details: ./correlator explain FINDING_ID");
            return 0;
        }));
        return command;
    }

    /// <summary>"1,082 crashes / 599 hosts / 9 service regions", the tie-breakers of the list's order.</summary>
    private static string Impact(FindingSummary f) => string.Join("\n", new[]
    {
        f.Crashes > 0 ? N(f.Crashes) + " crashes" : null,
        f.Hosts > 0 ? N(f.Hosts) + " hosts" : null,
        f.ServiceRegions > 0 ? N(f.ServiceRegions) + (f.ServiceRegions == 1 ? " service region" : " service regions") : null,
    }.Where(x => x is not null));

    private static string N(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>How many explained failures a row shows without <c>--all</c>.</summary>
    public const int Shown = 6;

    private static List<string> Explained(FindingSummary f) =>
        f.Signatures.Select(s => $"{s.Signature} ({s.Crashes} crashes, {s.Hosts} hosts)")
            .Concat(f.Services.Select(s => $"{s.Service}@{s.Region} {s.Status}")).ToList();

    private static string QueryString(FindingsFilter f, string? asOf)
    {
        var q = new List<string> { $"pageSize={f.Paging.PageSize}" };
        if (f.Status is { } s) q.Add("status=" + Uri.EscapeDataString(s));
        if (f.Vendor is { } v) q.Add("vendor=" + Uri.EscapeDataString(v));
        if (f.MinConfidence is { } m) q.Add("minConfidence=" + m.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (asOf is not null) q.Add("asOf=" + Uri.EscapeDataString(asOf));
        return "?" + string.Join("&", q);
    }
}
