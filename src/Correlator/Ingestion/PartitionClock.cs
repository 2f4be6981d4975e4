namespace Correlator.Ingestion;

/// <summary>
/// One input partition's progress as its consumer stored it: the newest knowledge time of a record stored from it,
/// and since when it has been at its end (null: busy). <see cref="Age"/> is how long ago its row was last written
/// (by the store's clock), so a row no live consumer keeps fresh can be told apart.
/// </summary>
public sealed record PartitionClock(string Topic, int Partition, DateTimeOffset? Newest, DateTime? AtEndSince, TimeSpan Age = default);
