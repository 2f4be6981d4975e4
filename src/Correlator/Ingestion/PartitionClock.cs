namespace Correlator.Ingestion;

/// <summary>
/// One input partition's progress as its consumer stored it: the newest knowledge time of a record stored from it,
/// since when it has been at its end (null: busy), and <see cref="Next"/>, the offset after the last record stored from
/// it (at its end: the end offset the broker reported), so another node can tell an end that has been written past since.
/// <see cref="Age"/> is how long ago its row was last written (by the store's clock), so a row no live consumer keeps
/// fresh can be told apart.
/// </summary>
public sealed record PartitionClock(string Topic, int Partition, DateTimeOffset? Newest, DateTime? AtEndSince, TimeSpan Age = default, long? Next = null);
