using System.CommandLine;
using Correlator.Backtest;
using Correlator.Correlation;
using Correlator.Hosting;
using Correlator.Scenarios;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Spectre.Console;

namespace Correlator.Cli;

/// <summary>
/// Replays the night of 18→19 July 2024 through the real pipeline (Kafka → Marten → correlation) on embedded
/// services, prints the findings, then keeps serving until Ctrl-C.
/// </summary>
public static class DemoCommand
{
    /// <param name="configuration">Where the settings come from (tests); by default appsettings.json and the environment.</param>
    public static Command Create(Func<IConfiguration>? configuration = null)
    {
        var data = new Option<string>("--data") { Description = "PostgreSQL data directory kept between runs (embedded mode)", DefaultValueFactory = _ => Path.Combine(".correlator", "demo-pg") };
        var noServe = new Option<bool>("--no-serve") { Description = "Exit after printing the findings instead of serving (listens on no port)" };
        var scenario = new Option<FileInfo?>("--scenario") { Description = "Replay this scenario file instead of the built-in July 2024 night" };
        var urls = new Option<string>("--urls") { Description = "Where the service listens", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var command = new Command("demo", "Replay the July 2024 night through Correlator on embedded PostgreSQL and Kafka, print the findings, serve") { data, noServe, scenario, urls };
        command.SetAction(async (parse, ct) =>
        {
            var serve = !parse.GetValue(noServe);
            if (serve) PortInUseException.ThrowIfTaken(parse.GetValue(urls)!);
            using var logs = CliContext.Logging();
            var log = logs.CreateLogger("demo");
            var config = configuration?.Invoke() ?? CliContext.Configuration();
            await using var infra = await Infrastructure.StartAsync(config, log, parse.GetValue(data), durable: true, ct);
            Console.Error.WriteLine($"PostgreSQL: {Redact(infra.ConnectionString)}");
            Console.Error.WriteLine($"Kafka:      {infra.BootstrapServers}");

            var file = parse.GetValue(scenario)?.FullName ?? await WriteJuly2024Async(ct);
            const string schema = "demo";
            await ResetSchemaAsync(infra.ConnectionString, schema, ct);
            var settings = infra.AsConfiguration().Concat(
            [
                new("Store:Schema", schema),
                new("Kafka:GroupId", "correlator-demo"),
                new("Api:OpenAccess", "true"),
                new("urls", parse.GetValue(urls)),
            ]);
            await using var app = CorrelatorHost.Build(settings, logLevel: LogLevel.Warning, listen: serve);
            await app.StartAsync(ct);
            try
            {
                AnsiConsole.MarkupLine($"[grey]Replaying {Markup.Escape(Path.GetFileName(file))} through Kafka → Marten → correlation…[/]");
                var report = await BacktestRun.RunAsync(app, file, log, TimeSpan.FromMinutes(10), ct);
                AnsiConsole.MarkupLine($"[grey]{report.Messages} messages: {report.Accepted} accepted, {report.Duplicates} duplicates, {report.Rejected} rejected to the DLQ.[/]");
                FindingsTable.Write(AnsiConsole.Console, report.Findings.Cast<Finding>().ToList());
                if (!serve) return 0;
                AnsiConsole.MarkupLine($"Serving on [link]{Markup.Escape(parse.GetValue(urls)!)}[/] — Ctrl-C to stop.");
                // Ctrl-C (SIGINT) and SIGTERM both end up here.
                try { await app.WaitForShutdownAsync(ct); } catch (OperationCanceledException) { }
                return 0;
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }

    private static async Task<string> WriteJuly2024Async(CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "correlator-demo");
        var july = ScenarioCatalog.Generate("july-2024");
        await ScenarioWriter.WriteAsync(july, dir);
        return Path.Combine(dir, july.Name + ".ndjson");
    }

    /// <summary>Each demo replays from an empty store, so what it prints is what the replay concluded.</summary>
    private static async Task ResetSchemaAsync(string connectionString, string schema, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"drop schema if exists {schema} cascade; drop schema if exists {schema}_wolverine cascade", conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static string Redact(string cs) =>
        string.Join(';', cs.Split(';').Where(p => !p.StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}
