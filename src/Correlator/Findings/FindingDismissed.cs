using Correlator.Correlation;

namespace Correlator.Findings;

/// <summary>The engine's <c>dismissed</c> transition of a finding, with the finding as it stood then. <see cref="Transition"/> is its index in the finding's history; <see cref="Reason"/> says why (absent in events stored before it existed).</summary>
public sealed record FindingDismissed(Finding Finding, DateTimeOffset At, int Transition, string? Reason = null) : IFindingTransition;
