using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correlator.Scenarios;

/// <summary>Writes a scenario as <c>NAME.ndjson</c> and <c>NAME.expected.json</c> (contract: "Scenario files").</summary>
public static class ScenarioWriter
{
    private static readonly JsonSerializerOptions LineOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions ExpectedOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The NDJSON text of a scenario: one line per message, <c>\n</c> line ends.</summary>
    public static string Ndjson(Scenario scenario)
    {
        var sb = new StringBuilder();
        foreach (var line in scenario.Lines) sb.Append(JsonSerializer.Serialize(line, LineOptions)).Append('\n');
        return sb.ToString();
    }

    public static string ExpectedJson(Scenario scenario) => JsonSerializer.Serialize(scenario.Expected, ExpectedOptions).ReplaceLineEndings("\n") + "\n";

    public static async Task WriteAsync(Scenario scenario, string directory, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(false);
        await File.WriteAllTextAsync(Path.Combine(directory, scenario.Name + ".ndjson"), Ndjson(scenario), utf8, ct);
        await File.WriteAllTextAsync(Path.Combine(directory, scenario.Name + ".expected.json"), ExpectedJson(scenario), utf8, ct);
    }
}
