using System.CommandLine;

namespace Correlator.Cli;

/// <summary><c>correlator bench …</c>: commands that print figures. Each benchmark is a subcommand passed in by <c>Program.cs</c>.</summary>
public static class BenchCommand
{
    public static Command Create(params Command[] benchmarks)
    {
        var command = new Command("bench", "Benchmarks: run one and print its figures");
        foreach (var b in benchmarks) command.Subcommands.Add(b);
        return command;
    }
}
