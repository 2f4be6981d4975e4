using System.Text.Json;

namespace Correlator.Scenarios;

public static class ExpectedOutcomeFile
{
    /// <summary>
    /// Reads an expected-outcome file (contract: "Scenario files"). <c>signatures</c> may be absent; anything that is not
    /// such a file is an <see cref="InvalidDataException"/> with a one-line message naming the file.
    /// </summary>
    public static ExpectedOutcome Read(string path)
    {
        ExpectedOutcome? expected;
        try { expected = JsonSerializer.Deserialize<ExpectedOutcome>(File.ReadAllText(path)); }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1})" : "";
            throw new InvalidDataException($"{path}: not an expected-outcome file{where}: {FirstLine(e.Message)}", e);
        }
        if (expected is null) throw new InvalidDataException($"{path}: not an expected-outcome file: null");
        expected = expected with { Culprits = expected.Culprits ?? [], NotCulprits = expected.NotCulprits ?? [] };
        for (var i = 0; i < expected.Culprits.Count; i++)
            if (expected.Culprits[i] is null || string.IsNullOrWhiteSpace(expected.Culprits[i].UpdateId))
                throw new InvalidDataException($"{path}: culprits[{i}] has no \"updateId\"");
        if (expected.NotCulprits.Any(string.IsNullOrWhiteSpace))
            throw new InvalidDataException($"{path}: \"notCulprits\" holds an empty or null id");
        return expected;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
