using System.CommandLine;
using Correlator.Cli;
using Correlator.Replay;

var root = new RootCommand("Correlator: which update caused which failures, with the evidence.")
{
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
    BenchCommand.Create(BenchIngestCommand.Create(), BenchAccuracyCommand.Create(), BenchRebuildCommand.Create(), BenchGateCommand.Create()),
};
return await root.Parse(args).InvokeAsync();
