using Correlator.Correlation;

namespace Correlator.Findings;

/// <summary>The read model of one finding: its latest state and the history of its transitions and feedback.</summary>
public sealed class FindingView
{
    public string Id { get; set; } = "";
    public Finding Current { get; set; } = null!;
    public DateTimeOffset DetectedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<HistoryEntry> History { get; set; } = [];

    /// <summary>One line of the history. <see cref="Reason"/>: why it changed (why it was resolved or dismissed); <see cref="Note"/>: an SRE's note.</summary>
    public sealed record HistoryEntry(string Kind, DateTimeOffset At, double Confidence, string Status, string? Note = null, string? Reason = null);
}
