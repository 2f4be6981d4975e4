using System.Text.Json;

namespace Correlator.Scenarios;

public static class ExpectedOutcomeFile
{
    public static ExpectedOutcome Read(string path)
    {
        var expected = JsonSerializer.Deserialize<ExpectedOutcome>(File.ReadAllText(path))
                       ?? throw new InvalidDataException($"{path}: not an expected-outcome file");
        return expected with { Culprits = expected.Culprits ?? [], NotCulprits = expected.NotCulprits ?? [] };
    }
}
