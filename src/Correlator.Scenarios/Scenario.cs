namespace Correlator.Scenarios;

/// <summary>A generated scenario: its lines in arrival order, its known outcome and what happened in it.</summary>
public sealed record Scenario(string Name, IReadOnlyList<ScenarioLine> Lines, ExpectedOutcome Expected, string Description);
