using System.CommandLine;
using Correlator.Cli;

var root = new RootCommand("Correlator: which update caused which failures, with the evidence.")
{
    DemoCommand.Create(),
    BacktestCommand.Create(),
    ServeCommand.Create(),
    SuspectsCommand.Create(),
    ExplainCommand.Create(),
    UpdateCommand.Create(),
    HostCommand.Create(),
    IngestCommand.Create(),
    BenchCommand.Create(),
    RebuildCommand.Create(),
    AlertsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
