namespace Correlator.Ingestion;

/// <summary>
/// Every input record with a broker timestamp before <see cref="At"/> has been stored. Appended (stream
/// <c>ingest/watermark</c>) when the watermark passes a new minute, so correlation can close a minute of
/// knowledge time exactly when nothing more can arrive for it, however the partitions interleave.
/// </summary>
public sealed record IngestWatermarkAdvanced(DateTimeOffset At);
