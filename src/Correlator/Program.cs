using System.CommandLine;
using Correlator.Cli;
using Correlator.Replay;

var root = new RootCommand("Correlator: which update caused which failures, with the evidence.")
{
    DemoCommand.Create(),
    BacktestCommand.Create(),
    RebuildCommand.Create(),
    ReplayCommand.Create(),
    ExportCommand.Create(),
    ImportCommand.Create(),
    BenchCommand.Create(BenchRebuildCommand.Create()),
};
return await root.Parse(args).InvokeAsync();
