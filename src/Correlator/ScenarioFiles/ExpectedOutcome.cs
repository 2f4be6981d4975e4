using System.Text.Json.Serialization;

namespace Correlator.Scenarios;

/// <summary>A scenario's known outcome (contract: "Scenario files").</summary>
public sealed record ExpectedOutcome(
    [property: JsonPropertyName("culprits")] IReadOnlyList<ExpectedCulprit> Culprits,
    [property: JsonPropertyName("notCulprits")] IReadOnlyList<string> NotCulprits);

/// <summary>
/// A culprit. <see cref="Signatures"/> is optional in the contract (null when a file leaves it out). A generator that
/// knows the truth also records the event time of the first failure the culprit caused and whether its first three
/// failures came within ten minutes (<see cref="Burst"/>); both are left out of the file when unknown.
/// </summary>
public sealed record ExpectedCulprit(
    [property: JsonPropertyName("updateId")] string UpdateId,
    [property: JsonPropertyName("signatures")] IReadOnlyList<string> Signatures)
{
    [JsonPropertyName("firstFailureAt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? FirstFailureAt { get; init; }

    [JsonPropertyName("burst"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Burst { get; init; }
}
