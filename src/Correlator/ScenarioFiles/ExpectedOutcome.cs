using System.Text.Json.Serialization;

namespace Correlator.Scenarios;

/// <summary>A scenario's known outcome (contract: "Scenario files").</summary>
public sealed record ExpectedOutcome(
    [property: JsonPropertyName("culprits")] IReadOnlyList<ExpectedCulprit> Culprits,
    [property: JsonPropertyName("notCulprits")] IReadOnlyList<string> NotCulprits);

public sealed record ExpectedCulprit(
    [property: JsonPropertyName("updateId")] string UpdateId,
    [property: JsonPropertyName("signatures")] IReadOnlyList<string> Signatures);
