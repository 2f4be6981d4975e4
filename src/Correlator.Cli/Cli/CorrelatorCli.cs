using System.CommandLine;

namespace Correlator.Cli;

/// <summary>
/// Every command, and the one place a command's failure becomes one line on stderr with a non-zero exit: the stack
/// trace only with <c>--verbose</c>; a usage error exits 64, the rest as <see cref="ExitCodes"/> says.
/// </summary>
public static class CorrelatorCli
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "On failure, print the full exception", Recursive = true };

    public static readonly Option<string?> LogFormat = LogFormatOption();

    private static Option<string?> LogFormatOption()
    {
        var option = new Option<string?>("--log-format")
        {
            Description = "Console log lines: simple (dated, UTC) or json (one object per line); default: the Logging:Console:FormatterName setting, else simple",
            Recursive = true,
        };
        option.AcceptOnlyFromAmong(CliContext.SimpleFormat, CliContext.JsonFormat);
        return option;
    }

    public static RootCommand Create() => new("Correlator: which update caused which failures, with the evidence.")
    {
        Verbose,
        LogFormat,
        DemoCommand.Create(),
        BacktestCommand.Create(),
        ServeCommand.Create(),
        SuspectsCommand.Create(),
        ExplainCommand.Create(),
        GateCommand.Create(),
        UpdateCommand.Create(),
        HostCommand.Create(),
        IngestCommand.Create(),
        RebuildCommand.Create(),
        AlertsCommand.Create(),
        ReplayCommand.Create(),
        ExportCommand.Create(),
        ImportCommand.Create(),
        BenchCommand.Create(BenchIngestCommand.Create(), BenchEngineCommand.Create(), BenchAccuracyCommand.Create(), Replay.BenchRebuildCommand.Create(), BenchGateCommand.Create()),
    };

    public static Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null) =>
        RunAsync(Create(), args, output, error);

    public static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var parse = root.Parse(args);
        error ??= Console.Error;
        if (parse.Errors.Count > 0)
        {
            // A typo is not a failure of the command: one line with the errors and where the usage is, exit 64.
            var path = CommandPath(parse);
            error.WriteLine($"{path}: {string.Join(" ", parse.Errors.Select(e => e.Message))} See `{path} --help`.");
            return ExitCodes.Usage;
        }
        // Flows to the command and every host it builds; set in this async method, it does not outlive the run.
        CliContext.LogFormat.Value = parse.GetValue(LogFormat);
        try
        {
            var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false, Error = error };
            if (output is not null) config.Output = output;
            return await parse.InvokeAsync(config);
        }
        catch (Exception e)
        {
            if (parse.GetValue(Verbose)) error.WriteLine(e);
            else error.WriteLine($"{CommandPath(parse)}: {CommandErrors.Describe(e)}");
            return CommandErrors.ExitCode(e);
        }
    }

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(r.Command is RootCommand ? "correlator" : r.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
