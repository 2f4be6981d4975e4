using Correlator.Correlation;
using Confluent.Kafka;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Scenarios;
using Marten;
using Marten.Events;

namespace Correlator.Replay;

/// <summary>
/// Appends a scenario file (an export, or any scenario) to the store through the ingestion path itself — the same
/// <see cref="MessageValidator"/>, knowledge-time stamping, <see cref="IngestReceipts"/> and <see cref="IngestWriter"/>
/// transaction per batch as the Kafka consumer — but without a broker. An import restores history; it is not new
/// traffic: it needs no running consumer or broker, and it does not dead-letter refused lines to <c>&lt;topic&gt;.dlq</c>
/// a second time (they are recorded as <c>MessageRejected</c> events, as they were the first time). Idempotent through
/// the receipts: importing the same file twice, or an export of a store back into it, adds nothing.
/// <para>
/// Each line is stamped with the scenario arrival time (the newest event time so far), exactly what the backtest's
/// producer sets as the record timestamp, and the ingestion watermark advances with it (one minute past the last line
/// at the end), so the findings subscription closes the imported minutes as it would have live. Streams the file.
/// </para>
/// </summary>
public sealed class HistoryImport(IDocumentStore store, MessageValidator validator, IngestionOptions options, TopicNames topics, TimeProvider clock)
{
    public sealed record Report(long Lines, long Accepted, long Duplicates, long Rejected, DateTimeOffset? Watermark);

    public async Task<Report> ImportAsync(string path, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var writer = new IngestWriter(store, new SetBasedAppend(store));
        await writer.CheckStoreAsync(ct);
        var arrival = new ArrivalClock();
        var reported = await StoredWatermarkAsync(ct);
        var batch = new IngestBatch();
        long lines = 0, accepted = 0, duplicates = 0, rejected = 0;

        async Task FlushAsync(DateTimeOffset? watermark)
        {
            if (watermark is { } w && (reported is null || w > reported))
            {
                batch.Watermark = new IngestWatermarkAdvanced(w);
                reported = w;
            }
            var outcome = await writer.WriteAsync(batch, clock.GetUtcNow(), ct);
            accepted += outcome.Accepted;
            duplicates += outcome.Duplicates;
            rejected += outcome.Rejected;
            batch = new IngestBatch();
            progress?.Report(lines);
        }

        await foreach (var line in ScenarioReader.ReadAsync(path, ct))
        {
            lines++;
            var topic = line.Topic switch
            {
                "crash-dumps" => topics.Crashes,
                "service-status" => topics.Status,
                "update-manifests" => topics.Manifests,
                _ => line.Topic,
            };
            var value = line.Bytes();
            var record = new ConsumeResult<string?, byte[]>
            {
                // The line number stands in for the offset: a refused line's receipt is (partition, offset, hash of bytes).
                TopicPartitionOffset = new TopicPartitionOffset(topic, new Partition(0), new Offset(lines)),
                Message = new Message<string?, byte[]>
                {
                    Key = line.Key,
                    Value = value,
                    Timestamp = new Timestamp(arrival.Advance(line).UtcDateTime, TimestampType.CreateTime),
                },
            };
            batch.Add(record, validator.Validate(topic, value), options.FutureSkew, clock.GetUtcNow());
            // Arrival times never go back, so every minute before the current line's is complete.
            if (batch.Count >= options.BatchSize) await FlushAsync(TimeBuckets.Minute(arrival.Now!.Value));
        }
        await FlushAsync(arrival.Now is { } last ? TimeBuckets.Minute(last).AddMinutes(1) : null);
        return new Report(lines, accepted, duplicates, rejected, reported);
    }

    private async Task<DateTimeOffset?> StoredWatermarkAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var newest = await session.Events.QueryRawEventDataOnly<IngestWatermarkAdvanced>()
            .OrderByDescending(w => w.At)
            .FirstOrDefaultAsync(ct);
        return newest?.At;
    }

}
