using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Correlator.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Correlator.Ingestion;

/// <summary>
/// Reads the three input topics in one consumer group, in batches: validate each record, dead-letter the refused
/// ones, store the batch in one transaction, then commit the offsets. At-least-once in, exactly-once in effect.
/// A bad record never stops it; a store outage makes it retry the same batch until the store is back.
/// </summary>
public sealed class KafkaIngestor(
    IOptions<KafkaOptions> kafka,
    IOptions<IngestionOptions> options,
    MessageValidator validator,
    IngestWriter writer,
    IngestionProgress progress,
    Telemetry.CorrelatorMetrics metrics,
    TimeProvider clock,
    ILogger<KafkaIngestor> log) : BackgroundService
{
    private readonly Watermark _watermark = new(options.Value.IdleClose);
    private readonly KnowledgeClock _knowledge = new(options.Value.KnowledgeTime, options.Value.FutureSkew, options.Value.HistoricAge);
    private long _historicReported;
    /// <summary>Each node's name in the partition clocks: which process last wrote a partition's row.</summary>
    private readonly string _node = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("n")[..6]}";
    /// <summary>Partitions per input topic (from the broker's metadata): a partition no node has reported holds the watermark back.</summary>
    private IReadOnlyDictionary<string, int>? _partitionCounts;
    /// <summary>Asked at start too: a node not assigned anything yet still decides watermarks, and needs them for it.</summary>
    private bool _countsDue = true;
    private DateTime _clockStored;
    /// <summary>How often an idle node stores its clocks and looks at the group's: the watermark moves within this of a lull.</summary>
    private static readonly TimeSpan ClockEvery = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken ct) =>
        Task.Factory.StartNew(() => RunAsync(ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private async Task RunAsync(CancellationToken ct)
    {
        var k = kafka.Value;
        var o = options.Value;
        progress.KnowledgeTime = o.KnowledgeTime;
        using var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig(k.ClientConfig())
            {
                GroupId = k.GroupId,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                EnableAutoCommit = false,
                EnableAutoOffsetStore = false,
                SessionTimeoutMs = 10_000,
                HeartbeatIntervalMs = 1_000,
                ReconnectBackoffMs = 100,
                ReconnectBackoffMaxMs = 2_000,
                EnablePartitionEof = true,
            })
            .SetPartitionsAssignedHandler((_, parts) =>
            {
                _watermark.Assigned(parts);
                _countsDue = true;
            })
            .SetPartitionsRevokedHandler((_, parts) => Revoked(parts.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, parts) => Revoked(parts.Select(p => p.TopicPartition)))
            .SetErrorHandler((_, e) => log.LogWarning("Kafka consumer: {Reason}", e.Reason))
            .SetLogHandler((_, m) => { if (m.Level <= SyslogLevel.Warning) log.LogDebug("librdkafka: {Message}", m.Message); })
            .Build();
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig(k.ClientConfig())
            {
                EnableIdempotence = true,
                Acks = Acks.All,
                LingerMs = 5,
                MessageMaxBytes = Math.Max(o.MaxMessageBytes * 4, 16 * 1024 * 1024),
            })
            .Build();
        var deadLetters = new DeadLetters(producer);
        // One admin client on the consumer's connections, for the partition counts (read loop) and the end offsets (store stage).
        var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        consumer.Subscribe(k.Topics.Inputs);
        log.LogInformation("Ingesting {Topics} as group {Group}, knowledge time from the {Source}", string.Join(", ", k.Topics.Inputs), k.GroupId,
            o.KnowledgeTime == KnowledgeTimeSource.EventTime ? "messages' event times" : "record timestamps");
        await writer.CheckStoreAsync(ct);
        // Two stages: while batch N is being stored (PostgreSQL's work), batch N+1 is read and validated (ours).
        // Batches are stored one at a time and in order, and offsets are committed only after their batch is stored.
        (IngestBatch Batch, Task<IngestWriter.Outcome> Stored)? pending = null;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var batch = Collect(consumer, o, ct);
                progress.ConsumerLag = Lag(consumer);
                if (_countsDue) _partitionCounts = PartitionCounts(admin, k.Topics.Inputs);
                var now = DateTime.UtcNow;
                if (batch.Count > 0 || _watermark.Changed || now - _clockStored >= ClockEvery)
                {
                    var counts = _partitionCounts;
                    batch.Clock = new IngestBatch.GroupClock(k.GroupId, _node, _watermark.Clocks(now),
                        async (group, token) => _watermark.Advance(group, counts, DateTime.UtcNow, await LogEndsAsync(admin, group, token)));
                    _clockStored = now;
                }
                if (pending is { } previous)
                {
                    pending = null;
                    await FinishAsync(consumer, previous.Batch, previous.Stored);
                }
                if (batch.Count == 0 && batch.Clock is null) continue;
                pending = (batch, Task.Run(() => StoreAsync(batch, deadLetters, ct), ct));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            // A batch still being stored when the loop ends (stop or failure): let it finish and commit what it stored.
            if (pending is { } last)
            {
                try { await FinishAsync(consumer, last.Batch, last.Stored); }
                catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            }
            admin.Dispose();
            try { consumer.Close(); } catch (KafkaException e) { log.LogDebug(e, "closing the consumer"); }
        }
    }

    private void Revoked(IEnumerable<TopicPartition> partitions)
    {
        var list = partitions.ToList();
        _watermark.Revoked(list);
        foreach (var tp in list)
        {
            _expected.Remove(tp);
            _knowledge.Revoked(tp);
        }
    }

    /// <summary>
    /// The broker's end offsets (read-committed) of the partitions the group's clocks call at their end, asked when a
    /// watermark is decided, so one whose end has been written past since its node stored its clock holds it back (see
    /// <see cref="GlobalWatermark.AtEnd"/>). Only this answer counts: an end known from an earlier one may have been
    /// written past since, so a partition the broker did not answer for now is busy.
    /// </summary>
    private async Task<IReadOnlyDictionary<(string Topic, int Partition), long>> LogEndsAsync(IAdminClient admin,
        IReadOnlyCollection<PartitionClock> group, CancellationToken ct)
    {
        var ends = new Dictionary<(string Topic, int Partition), long>();
        var asked = group.Where(c => GlobalWatermark.SaysAtEnd(c, _watermark.Stale))
            .Select(c => new TopicPartition(c.Topic, new Partition(c.Partition))).ToList();
        if (asked.Count == 0) return ends;
        ListOffsetsResult? answer;
        try
        {
            answer = await admin.ListOffsetsAsync(asked.Select(tp => new TopicPartitionOffsetSpec { TopicPartition = tp, OffsetSpec = OffsetSpec.Latest() }),
                new ListOffsetsOptions { IsolationLevel = IsolationLevel.ReadCommitted, RequestTimeout = TimeSpan.FromSeconds(5) }).WaitAsync(ct);
        }
        catch (ListOffsetsException e) { answer = new ListOffsetsResult { ResultInfos = e.Result.ResultInfos }; }
        catch (KafkaException e)
        {
            log.LogDebug("Reading end offsets: {Reason}", e.Error.Reason);
            answer = null;
        }
        foreach (var info in answer?.ResultInfos ?? [])
            if (!info.TopicPartitionOffsetError.Error.IsError && !info.TopicPartitionOffsetError.Offset.IsSpecial)
                ends[(info.TopicPartitionOffsetError.Topic, info.TopicPartitionOffsetError.Partition.Value)] = info.TopicPartitionOffsetError.Offset.Value;
        return ends;
    }

    /// <summary>Partitions per input topic from the broker's metadata; the last known counts if the broker does not answer.</summary>
    private IReadOnlyDictionary<string, int>? PartitionCounts(IAdminClient admin, IEnumerable<string> topics)
    {
        try
        {
            var counts = new Dictionary<string, int>();
            foreach (var topic in topics)
            {
                var found = admin.GetMetadata(topic, TimeSpan.FromSeconds(5)).Topics.FirstOrDefault(t => t.Topic == topic);
                if (found is null || found.Error.IsError || found.Partitions.Count == 0) return _partitionCounts;
                counts[topic] = found.Partitions.Count;
            }
            _countsDue = false;
            return counts;
        }
        catch (KafkaException e)
        {
            log.LogDebug("Reading partition counts: {Reason}", e.Error.Reason);
            return _partitionCounts;
        }
    }

    private async Task FinishAsync(IConsumer<string?, byte[]> consumer, IngestBatch batch, Task<IngestWriter.Outcome> stored)
    {
        var outcome = await stored;
        if (batch.Watermark is { } w) _watermark.Confirm(w.At);
        var committing = Stopwatch.GetTimestamp();
        var committed = batch.Count == 0 || Commit(consumer, batch);
        progress.Spend(0, 0, Stopwatch.GetTimestamp() - committing);
        progress.Record(outcome, committed ? batch.NextOffsets : new Dictionary<TopicPartition, Offset>(), batch.Watermark?.At);
    }

    /// <summary>
    /// From the end offsets the consumer last fetched (kept by librdkafka, no broker call): how far behind each
    /// assigned partition is. Before this node committed a partition it got in a rebalance, its read position stands in.
    /// </summary>
    private Dictionary<TopicPartition, long> Lag(IConsumer<string?, byte[]> consumer)
    {
        var lag = new Dictionary<TopicPartition, long>();
        try
        {
            foreach (var tp in consumer.Assignment)
            {
                var end = consumer.GetWatermarkOffsets(tp).High;
                if (end == Offset.Unset) continue;
                var done = progress.CommittedOffset(tp);
                if (done == 0 && consumer.Position(tp) is var read && read != Offset.Unset) done = read.Value;
                lag[tp] = Math.Max(0, end.Value - done);
            }
        }
        catch (KafkaException e) { log.LogDebug("Reading consumer lag: {Reason}", e.Error.Reason); }
        return lag;
    }

    private IngestBatch Collect(IConsumer<string?, byte[]> consumer, IngestionOptions o, CancellationToken ct)
    {
        var batch = new IngestBatch();
        var records = new List<ConsumeResult<string?, byte[]>>(o.BatchSize);
        var deadline = DateTime.UtcNow.AddSeconds(1);
        while (records.Count + batch.Count < o.BatchSize && !ct.IsCancellationRequested)
        {
            var wait = deadline - DateTime.UtcNow;
            if (wait <= TimeSpan.Zero) break;
            ConsumeResult<string?, byte[]>? record;
            try { record = consumer.Consume(wait); }
            catch (ConsumeException e) when (e.ConsumerRecord is not null)
            {
                batch.Reject(Readable(e.ConsumerRecord), RejectionCodes.Unreadable, e.Error.Reason, null, clock.GetUtcNow());
                continue;
            }
            catch (ConsumeException e)
            {
                log.LogWarning("Kafka consume: {Reason}", e.Error.Reason);
                continue;
            }
            if (record is null) continue;
            if (record.IsPartitionEOF)
            {
                _watermark.ReachedEnd(record.TopicPartition, record.Offset.Value);
                if (records.Count + batch.Count == 0) break; // let an idle consumer report its watermark
                continue;
            }
            NoticeGap(consumer, record);
            _watermark.Touched(record.TopicPartition, record.Offset.Value);
            if (records.Count == 0)
            {
                deadline = DateTime.UtcNow + o.BatchWindow;
                progress.FirstRecordRead(Stopwatch.GetTimestamp());
            }
            records.Add(record);
        }
        Classify(batch, records, o);
        return batch;
    }

    /// <summary>The next offset expected per partition: where the last record read ended, or the group's committed offset.</summary>
    private readonly Dictionary<TopicPartition, long> _expected = [];

    /// <summary>
    /// Offsets are contiguous on the contract's topics (not compacted), so a record past the expected offset means the
    /// broker dropped what lay between before it was read: librdkafka then resets to the earliest offset it still has
    /// and says nothing. A gap of one is left alone: a transactional producer's commit marker takes an offset too.
    /// </summary>
    private void NoticeGap(IConsumer<string?, byte[]> consumer, ConsumeResult<string?, byte[]> record)
    {
        var tp = record.TopicPartition;
        if (!_expected.TryGetValue(tp, out var expected))
        {
            try { expected = consumer.Committed([tp], TimeSpan.FromSeconds(5)).FirstOrDefault()?.Offset is { IsSpecial: false } c ? c.Value : record.Offset.Value; }
            catch (KafkaException) { expected = record.Offset.Value; }
        }
        var missing = record.Offset.Value - expected;
        if (missing > 1)
        {
            var where = $"{tp.Topic} [{tp.Partition.Value}]: offsets {expected}–{record.Offset.Value - 1}";
            progress.Dropped(missing, where);
            log.LogError("The broker dropped {Count} messages before they were read ({Where}): they are lost to Correlator. " +
                         "The embedded broker keeps about 5 MB a partition; raise Kafka:Partitions or use a real broker", missing, where);
        }
        _expected[tp] = record.Offset.Value + 1;
    }

    /// <summary>Validates the records on every core (the validator is thread-safe), then adds them to the batch in order.</summary>
    private void Classify(IngestBatch batch, List<ConsumeResult<string?, byte[]>> records, IngestionOptions o)
    {
        if (records.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        var results = new (ValidationResult? Result, Exception? Error)[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try { results[i] = (validator.Validate(records[i].Topic, records[i].Message.Value ?? []), null); }
            catch (Exception e) { results[i] = (null, e); }
        });
        var now = clock.GetUtcNow();
        for (var i = 0; i < records.Count; i++)
        {
            var (result, error) = results[i];
            if (result is not null)
            {
                var known = batch.Add(records[i], result, o.FutureSkew, now, _knowledge);
                if (known is null && _knowledge.Source == KnowledgeTimeSource.RecordTimestamp && records[i].Message.Timestamp.Type != TimestampType.NotAvailable)
                    known = new DateTimeOffset(records[i].Message.Timestamp.UtcDateTime, TimeSpan.Zero);
                if (known is { } k) _watermark.Observe(records[i].TopicPartition, k);
                continue;
            }
            // A message that breaks the validator itself is still refused, never lost, never fatal.
            log.LogError(error, "Validating {Topic}/{Partition}@{Offset}", records[i].Topic, records[i].Partition.Value, records[i].Offset.Value);
            batch.Reject(records[i], RejectionCodes.InternalError, error!.Message, null, now);
        }
        progress.Spend(Stopwatch.GetTimestamp() - started, 0, 0);
        ReportHistoric();
    }

    /// <summary>Old event times under record-timestamp knowledge: counted for the health route, logged once a process.</summary>
    private void ReportHistoric()
    {
        if (_knowledge.Historic == _historicReported || _knowledge.LastHistoric is not { } last) return;
        progress.Historic(_knowledge.Historic - _historicReported, $"{last.Topic}: event time {last.EventTime:yyyy-MM-dd HH:mm}Z, {last.Age.TotalDays:0} days before its record timestamp");
        if (_historicReported == 0)
            log.LogWarning("{Topic}: a message's event time ({EventTime:O}) is {Days:0} days before its record timestamp, outside the engine's lookback: " +
                           "it will not be correlated. A historic replay through a producer that stamps records with the current time needs " +
                           "Ingestion:KnowledgeTime=EventTime (docs/operations.md, \"What a producer sends\")", last.Topic, last.EventTime, last.Age.TotalDays);
        _historicReported = _knowledge.Historic;
    }

    private static ConsumeResult<string?, byte[]> Readable(ConsumeResult<byte[], byte[]> raw) => new()
    {
        TopicPartitionOffset = raw.TopicPartitionOffset,
        Message = new Message<string?, byte[]>
        {
            Key = raw.Message?.Key is { } key ? System.Text.Encoding.UTF8.GetString(key) : null,
            Value = raw.Message?.Value ?? [],
            Headers = raw.Message?.Headers,
            Timestamp = raw.Message?.Timestamp ?? default,
        },
    };

    private async Task<IngestWriter.Outcome> StoreAsync(IngestBatch batch, DeadLetters deadLetters, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        using var span = Telemetry.CorrelatorMetrics.Traces.StartActivity("ingest batch");
        span?.SetTag("correlator.batch.messages", batch.Count);
        try
        {
            var outcome = await StoreOrIsolateAsync(batch, deadLetters, ct);
            span?.SetTag("correlator.batch.accepted", outcome.Accepted).SetTag("correlator.batch.duplicates", outcome.Duplicates).SetTag("correlator.batch.rejected", outcome.Rejected);
            return outcome;
        }
        catch (Exception e)
        {
            span?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            var spent = Stopwatch.GetTimestamp() - started;
            progress.Spend(0, spent, 0);
            if (batch.Count > 0) metrics.BatchStored(Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task<IngestWriter.Outcome> StoreOrIsolateAsync(IngestBatch batch, DeadLetters deadLetters, CancellationToken ct)
    {
        try
        {
            return await StoreWithRetriesAsync(batch, deadLetters, ct);
        }
        catch (Exception e) when (!IsTransient(e) && e is not OperationCanceledException)
        {
            // Something in this batch the store refuses for good: find it by bisecting (about 2·log2(n) transactions
            // for one culprit, not n) and dead-letter it instead of stalling the partition behind it.
            log.LogError("The store refused a batch of {Count} ({Error}); bisecting it", batch.Accepted.Count + batch.Rejected.Count, e.Message);
            var outcome = await IsolateAsync(batch, e, deadLetters, ct);
            if (batch.Clock is not null)
            {
                // The clocks vouch for every record of the batch: stored once all of them are.
                var tail = new IngestBatch { Clock = batch.Clock };
                await StoreUnclassifiedAsync(tail, deadLetters, ct);
                batch.Watermark = tail.Watermark;
            }
            return outcome;
        }
    }

    private async Task<IngestWriter.Outcome> IsolateAsync(IngestBatch batch, Exception refusal, DeadLetters deadLetters, CancellationToken ct)
    {
        if (batch.Accepted.Count + batch.Rejected.Count == 0) return new IngestWriter.Outcome(0, 0, 0);
        if (batch.Accepted.Count + batch.Rejected.Count == 1)
        {
            var record = batch.Single;
            var refused = new IngestBatch();
            refused.Reject(record, RejectionCodes.StoreError, $"{record.Topic}: the event store refused it: {refusal.Message}", batch.Accepted.FirstOrDefault()?.MessageId ?? batch.Rejected.FirstOrDefault()?.Event.MessageId, clock.GetUtcNow());
            log.LogError("The store refused {Topic}/{Partition}@{Offset}: dead-lettered ({Error})", record.Topic, record.Partition.Value, record.Offset.Value, refusal.Message);
            progress.Isolated();
            return await StoreUnclassifiedAsync(refused, deadLetters, ct);
        }
        var (first, second) = batch.Halves();
        var a = await StoreHalfAsync(first);
        var b = await StoreHalfAsync(second);
        return new IngestWriter.Outcome(a.Accepted + b.Accepted, a.Duplicates + b.Duplicates, a.Rejected + b.Rejected);

        async Task<IngestWriter.Outcome> StoreHalfAsync(IngestBatch half)
        {
            // The whole batch's refusals reached the dead-letter topics before its store failed: the halves do not send them again.
            try { return await StoreWithRetriesAsync(half, deadLetters: null, ct); }
            catch (Exception e) when (!IsTransient(e) && e is not OperationCanceledException) { return await IsolateAsync(half, e, deadLetters, ct); }
        }
    }

    /// <summary>
    /// For what must be stored and is Correlator's own (a store-error rejection, a watermark): a refusal here is not
    /// the message's fault, so it is retried with backoff and reported through <see cref="IngestionProgress.Fault"/>
    /// until it passes (a store gone read-only, a permission revoked), never thrown: the host keeps running.
    /// </summary>
    private async Task<IngestWriter.Outcome> StoreUnclassifiedAsync(IngestBatch batch, DeadLetters deadLetters, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var outcome = await StoreWithRetriesAsync(batch, deadLetters, ct);
                progress.Fault = null;
                return outcome;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is not OperationCanceledException)
            {
                progress.Fault = $"storing failed {attempt} time(s): {e.Message}";
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 200 * Math.Pow(2, Math.Min(attempt, 8))));
                log.LogError(e, "Storing a batch of {Count} failed for a reason that is not the message's (attempt {Attempt}); retrying in {Delay}", batch.Count, attempt, delay);
                await Task.Delay(delay, ct);
            }
        }
    }

    /// <summary>Retries transient failures (store or broker unreachable) with backoff until they pass; anything else is thrown.</summary>
    private async Task<IngestWriter.Outcome> StoreWithRetriesAsync(IngestBatch batch, DeadLetters? deadLetters, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (deadLetters is not null) await deadLetters.PublishAsync(batch.Rejected, ct);
                return await writer.WriteAsync(batch, clock.GetUtcNow(), ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested && IsTransient(e))
            {
                var delay = TimeSpan.FromMilliseconds(Math.Min(10_000, 100 * Math.Pow(2, Math.Min(attempt, 7))));
                log.LogWarning("Storing a batch of {Count} failed (attempt {Attempt}: {Error}); retrying in {Delay}", batch.Count, attempt, e.Message, delay);
                await Task.Delay(delay, ct);
            }
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        Npgsql.PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57", StringComparison.Ordinal) || pg.SqlState == "40001" || pg.SqlState == "40P01",
        Npgsql.NpgsqlException n => n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException,
        ProduceException<string?, byte[]> or KafkaException => true,
        TimeoutException or System.Net.Sockets.SocketException or IOException => true,
        _ => false,
    };

    private bool Commit(IConsumer<string?, byte[]> consumer, IngestBatch batch)
    {
        try
        {
            consumer.Commit(batch.NextOffsets.Select(p => new TopicPartitionOffset(p.Key, p.Value)));
            return true;
        }
        catch (KafkaException e)
        {
            // Lost the partitions in a rebalance: the new owner re-reads them and the receipts make that harmless.
            log.LogWarning("Committing offsets failed ({Reason}); the records will be redelivered and deduplicated", e.Error.Reason);
            return false;
        }
    }
}
