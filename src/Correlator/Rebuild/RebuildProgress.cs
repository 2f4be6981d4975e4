namespace Correlator.Replay;

/// <summary>One report of a rebuild: the projection, the event sequence it has reached, the sequence it runs to.</summary>
public sealed record RebuildProgress(string Projection, long Done, long Total, RebuildProgress.Phase State)
{
    public enum Phase { Started, Advanced, Finished, Skipped }
}
