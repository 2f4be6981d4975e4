using System.CommandLine;
using System.Globalization;
using Correlator.Rollouts;
using Spectre.Console;

namespace Correlator.Cli;

/// <summary>
/// <c>correlator gate UPDATE_ID</c>: the rollout gate for any pipeline. Exit 0 go, 1 stop, 2 hold; when it cannot
/// decide (unknown update, refused key, no service) it holds too and says why on stderr, so a pipeline that proceeds
/// only on 0 never proceeds by mistake. A usage error is 64, as for every command.
/// </summary>
public static class GateCommand
{
    public const int Go = 0, Stop = 1, Hold = 2;

    public static Command Create()
    {
        var id = new Argument<string>("UPDATE_ID") { Description = "The update's id, as its manifests name it" };
        var asOf = new Option<string?>("--as-of") { Description = "What the gate would have said at this knowledge time (RFC 3339)" };
        var command = new Command("gate", "May the next wave of an update go? Exit 0 go, 1 stop, 2 hold (also when it cannot decide, with the reason)") { id, asOf };
        command.WithQueryOptions();
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var updateId = parse.GetValue(id)!;
            var key = parse.GetValue<string?>("--api-key") ?? Environment.GetEnvironmentVariable("CORRELATOR_API_KEY");
            try
            {
                await using var source = QuerySource.Open(parse.GetValue<string?>("--url"), key, CliContext.Configuration());
                var report = await source.GateAsync(updateId, parse.GetValue(asOf), ct);
                if (report is null)
                {
                    await error.WriteLineAsync($"gate: hold, cannot decide: no update '{updateId}'");
                    return Hold;
                }
                if (parse.Json()) await QueryOptions.WriteJsonAsync(output, report);
                else Print(output, report);
                return report.Decision switch { GateDecisions.Go => Go, GateDecisions.Stop => Stop, _ => Hold };
            }
            catch (QueryFailed e)
            {
                await error.WriteLineAsync($"gate: hold, cannot decide: {e.Message}");
                return Hold;
            }
        });
        return command;
    }

    private static void Print(TextWriter output, GateReport r)
    {
        var console = Terminal.For(output);
        console.WriteLine($"{r.Decision.ToUpperInvariant()}  {r.UpdateId}  confidence {Terminal.Confidence(r.Confidence)}  as of {Terminal.When(r.AsOf)}");
        foreach (var reason in r.Reasons) console.WriteLine($"  - {reason}");
        console.WriteLine($"Exposed {r.Exposed} hosts ({r.Evidence.ExposureBasis}), {r.FailingExposed} failed after exposure; " +
            $"fresh failures/host-hour exposed {R(r.ExposedRate)} vs unexposed {R(r.BaselineRate)}; likelihood ratio {R(r.Evidence.LikelihoodRatio)} (stop at {R(r.Evidence.StopThreshold)})");
        if (r.Waves.Count == 0) return;
        var table = new Table().Title("Waves").AddColumns("Wave", "Starts", "Percent", "Exposed before", "Newly exposed", "Of those failing", "Gate before it");
        foreach (var w in r.Waves)
            table.AddRow(w.Wave.ToString(CultureInfo.InvariantCulture), Terminal.When(w.StartsAt), w.Percent is { } p ? p.ToString("0.#", CultureInfo.InvariantCulture) + " %" : "-",
                w.ExposedBefore.ToString(CultureInfo.InvariantCulture), w.NewlyExposed.ToString(CultureInfo.InvariantCulture),
                w.NewlyExposedFailing.ToString(CultureInfo.InvariantCulture), w.Decision);
        console.Write(table);
    }

    private static string R(double v) => v.ToString(v != 0 && v < 0.01 ? "0.###e0" : "0.###", CultureInfo.InvariantCulture);
}
