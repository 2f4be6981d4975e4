using System.CommandLine;
using Correlator.Cli;

var root = new RootCommand("Correlator: which update caused which failures, with the evidence.")
{
    DemoCommand.Create(),
    BacktestCommand.Create(),
    AlertsCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
