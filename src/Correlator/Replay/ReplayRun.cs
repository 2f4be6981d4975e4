using Correlator.Correlation;

namespace Correlator.Replay;

/// <summary>
/// One replay, stored in the isolated replay schema (<c>&lt;schema&gt;_replay</c>, never the live one): the window, the
/// settings, every finding the replay produced with its whole history, and how they differ from the live findings.
/// </summary>
public sealed class ReplayRun
{
    public int Id { get; set; }
    public DateTimeOffset From { get; set; }
    public DateTimeOffset To { get; set; }
    public DateTimeOffset RanAt { get; set; }
    public CorrelationSettings Settings { get; set; } = CorrelationSettings.Default;
    /// <summary>Facts read from the store and facts fed to the engine (the window plus its context).</summary>
    public long FactsRead { get; set; }
    public long FactsUsed { get; set; }
    /// <summary>The live ingestion watermark: facts at or after its minute were not final live, so they are not replayed either.</summary>
    public DateTimeOffset? Watermark { get; set; }
    public List<FindingHistory> Findings { get; set; } = [];
    public List<FindingDiff.Row> Differences { get; set; } = [];
    public int Unchanged { get; set; }
}
