using System.CommandLine;
using Correlator.Cli;

var root = new RootCommand("Correlator: which update caused which failures, with the evidence.")
{
    DemoCommand.Create(),
    BacktestCommand.Create(),
    IngestCommand.Create(),
    BenchCommand.Create(),
    RebuildCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
