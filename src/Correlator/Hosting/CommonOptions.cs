using System.CommandLine;

namespace Correlator.Cli;

public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object on stdout instead of a table" };
}
