using Correlator.Correlation;

namespace Correlator.Findings;

/// <summary>The engine's <c>updated</c> transition of a finding, with the finding as it stood then. <see cref="Transition"/> is its index in the finding's history.</summary>
public sealed record FindingUpdated(Finding Finding, DateTimeOffset At, int Transition, string? Reason = null) : IFindingTransition;
