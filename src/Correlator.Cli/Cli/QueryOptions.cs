using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace Correlator.Cli;

/// <summary>The options every query command shares, and how it runs: errors on stderr, an exit code per kind of failure.</summary>
public static class QueryOptions
{
    public static Command WithQueryOptions(this Command command)
    {
        command.Options.Add(new Option<string?>("--url") { Description = $"A running Correlator (default {QuerySource.DefaultUrl}, or the configured store when ConnectionStrings:Marten is set)" });
        command.Options.Add(new Option<string?>("--api-key") { Description = "API key (default: the CORRELATOR_API_KEY environment variable)" });
        command.Options.Add(CommonOptions.Json());
        return command;
    }

    public static bool Json(this ParseResult parse) => parse.GetValue<bool>("--json");

    public static Task WriteJsonAsync(TextWriter output, object value) =>
        output.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(value, Api.ApiJson.Options));

    /// <summary>0 found, 66 not found, 64 refused options, 77 refused key, 69 no service (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<QuerySource, TextWriter, Task<int>> query, IConfiguration? config = null)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        var key = parse.GetValue<string?>("--api-key") ?? Environment.GetEnvironmentVariable("CORRELATOR_API_KEY");
        try
        {
            await using var source = QuerySource.Open(parse.GetValue<string?>("--url"), key, config ?? CliContext.Configuration());
            return await query(source, output);
        }
        catch (QueryFailed e)
        {
            await error.WriteLineAsync($"{parse.CommandResult.Command.Name}: {e.Message}");
            return e.ExitCode;
        }
    }

    public static async Task<int> NotFound(ParseResult parse, string what, string id)
    {
        await parse.InvocationConfiguration.Error.WriteLineAsync($"{parse.CommandResult.Command.Name}: no {what} '{id}'");
        return ExitCodes.NotFound;
    }
}
