namespace Correlator.Replay;

/// <summary>
/// Which projections the current <c>rebuild</c> run has finished (document <c>rebuild</c> in the live schema).
/// A run that was interrupted resumes from it: finished projections are skipped, the others rebuilt from scratch.
/// </summary>
public sealed class RebuildJournal
{
    public const string CurrentId = "rebuild";

    public string Id { get; set; } = CurrentId;
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    /// <summary>The event sequence the run started at: what "rebuilt" means for the projections it finished.</summary>
    public long HighWater { get; set; }
    public List<string> Finished { get; set; } = [];
}
