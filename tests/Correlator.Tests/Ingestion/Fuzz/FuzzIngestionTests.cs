using System.Text;
using Confluent.Kafka;
using Correlator.Backtest;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Correlator.Tests.Support;
using CsCheck;
using Marten;
using Xunit.Abstractions;

namespace Correlator.Tests.Ingestion.Fuzz;

/// <summary>
/// Issue 23: ≥ 10,000 generated adversarial records per run through the real path (embedded broker → consumer →
/// PostgreSQL), one host for all of them. A failure prints CsCheck's seed; <c>CsCheck_Seed=… dotnet test</c> replays it.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class FuzzIngestionTests(ITestOutputHelper output)
{
    private const int Records = 10_000;
    // The embedded broker keeps about 5 MB per partition: produce a chunk, wait until it is stored, then the next.
    private const int ChunkRecords = 2_500;
    private const int ChunkBytes = 3 * 1024 * 1024;

    [Fact]
    public Task Ten_thousand_adversarial_records_give_exact_counts_and_every_rejection_has_a_reason_in_the_dlq_and_the_store() =>
        Check.SampleAsync(AdversarialMessages.Scenario(Records), RunAsync, iter: 1, threads: 1, print: Summary, writeLine: output.WriteLine);

    private async Task RunAsync(FuzzMessage[] messages)
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 3);
        await using var host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?> { ["Ingestion:MaxMessageBytes"] = AdversarialMessages.MaxBytes.ToString() });
        var progress = host.Get<IngestionProgress>();
        string TopicOf(MessageKind k) => k switch { MessageKind.Crash => scope.Topics.Crashes, MessageKind.Status => scope.Topics.Status, _ => scope.Topics.Manifests };

        var sent = new TopicPartitionOffset?[messages.Length];
        var ends = new Dictionary<TopicPartition, long>();
        var dlq = new List<ConsumeResult<string?, byte[]>>();
        var failures = new List<string>();
        using var dlqReader = DeadLetterReader(scope);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = scope.BootstrapServers, EnableIdempotence = true, LingerMs = 5, MessageMaxBytes = 4 * 1024 * 1024 }).Build())
        {
            for (var start = 0; start < messages.Length;)
            {
                var (end, bytes) = (start, 0L);
                for (; end < messages.Length && end - start < ChunkRecords && bytes < ChunkBytes; end++)
                {
                    var i = end;
                    bytes += (messages[i].Value?.Length ?? 0) + (messages[i].Key?.Length ?? 0);
                    producer.Produce(TopicOf(messages[i].Kind), new Message<byte[]?, byte[]?> { Key = messages[i].Key, Value = messages[i].Value }, r =>
                    {
                        if (r.Error.IsError) lock (failures) failures.Add(r.Error.Reason);
                        sent[i] = r.TopicPartitionOffset;
                    });
                }
                producer.Flush(TimeSpan.FromSeconds(60));
                Assert.Empty(failures);
                for (var i = start; i < end; i++)
                    ends[sent[i]!.TopicPartition] = Math.Max(ends.GetValueOrDefault(sent[i]!.TopicPartition), sent[i]!.Offset.Value + 1);
                await progress.WaitForAsync(ends, TimeSpan.FromSeconds(120), default);
                Drain(dlqReader, dlq, messages.Take(end).Count(m => m.Expect == Expect.Rejected));
                start = end;
            }
        }

        // The consumer is alive and healthy: every record was handled, nothing is being retried, the host is up.
        Assert.False(host.App.Lifetime.ApplicationStopping.IsCancellationRequested, "the host must keep running");
        Assert.Null(progress.Fault);
        var byOffset = Enumerable.Range(0, messages.Length).ToDictionary(i => sent[i]!);

        // Accepted: exactly the distinct valid (topic, id)s, each stored once; redeliveries counted as duplicates.
        var expectedAccepted = messages.Where(m => m.Expect == Expect.Accepted).Select(m => (TopicOf(m.Kind), m.Id!)).ToHashSet();
        Assert.Equal(expectedAccepted.Count, messages.Count(m => m.Expect == Expect.Accepted));
        await using var session = host.Store.QuerySession();
        var storedIds = (await session.StoredAsync<CrashReported>()).Select(c => (scope.Topics.Crashes, c.Id))
            .Concat((await session.StoredAsync<ServiceStatusObserved>()).Select(s => (scope.Topics.Status, s.Id)))
            .Concat((await session.StoredAsync<UpdateReleased>()).Select(r => (scope.Topics.Manifests, r.Id)))
            .Concat((await session.StoredAsync<UpdateRecalled>()).Select(r => (scope.Topics.Manifests, r.Id)))
            .Concat((await session.StoredAsync<UpdateInstalled>()).Select(r => (scope.Topics.Manifests, r.Id)))
            .ToList();
        Assert.Equal(storedIds.Count, storedIds.Distinct().Count());
        Assert.Empty(expectedAccepted.Except(storedIds).Take(5));
        Assert.Empty(storedIds.Except(expectedAccepted).Take(5));
        Assert.Equal(expectedAccepted.Count, await StoreCounts.AcceptedAsync(host.Store, scope.Topics.Inputs, default));
        Assert.Equal(messages.Count(m => m.Expect == Expect.Duplicate), progress.Duplicates);
        Assert.Equal(expectedAccepted.Count, progress.Accepted);

        // Rejected: one stored rejection per distinct content (topic, key, value), with its code and a reason.
        var rejectedAt = Enumerable.Range(0, messages.Length).Where(i => messages[i].Expect == Expect.Rejected).ToList();
        var groups = rejectedAt.GroupBy(i => (TopicOf(messages[i].Kind), IngestBatch.ContentReceipt(Key(messages[i]), messages[i].Value ?? []))).ToList();
        var stored = await session.Events.QueryRawEventDataOnly<MessageRejected>().ToListAsync();
        var wrong = new List<string>();
        foreach (var r in stored)
        {
            var i = byOffset[new TopicPartitionOffset(r.Topic, r.Partition, r.Offset)];
            var m = messages[i];
            if (m.Expect != Expect.Rejected || !r.Reason.StartsWith(m.Code + ": " + TopicOf(m.Kind) + ":", StringComparison.Ordinal) || r.Reason.Length < m.Code!.Length + TopicOf(m.Kind).Length + 6)
                wrong.Add($"{m} -> {r.Reason}");
            Assert.Equal(m.Value ?? [], Convert.FromBase64String(r.Value));
            Assert.Equal(Key(m), r.OriginalKey());
        }
        Assert.Empty(wrong.Take(10));
        Assert.Equal(groups.Count, stored.Count);
        Assert.Equal(groups.Count, stored.Select(r => (r.Topic, IngestBatch.ContentReceipt(r.OriginalKey(), Convert.FromBase64String(r.Value)))).Distinct().Count());
        Assert.Equal(groups.Count, progress.Rejected);
        Assert.Equal(messages.Count(m => m.Code == RejectionCodes.StoreError), progress.IsolatedRecords);

        // Dead letters: every rejected record once, bytes unchanged, headers naming the code, reason and source.
        var copies = dlq.Select(d => (Index: byOffset[new TopicPartitionOffset(Header(d, DeadLetters.SourceTopicHeader)!,
            int.Parse(Header(d, DeadLetters.SourcePartitionHeader)!), long.Parse(Header(d, DeadLetters.SourceOffsetHeader)!))], Copy: d)).ToList();
        Assert.Equal(rejectedAt.Order(), copies.Select(c => c.Index).Order());
        foreach (var (i, copy) in copies)
        {
            Assert.Equal(messages[i].Code, Header(copy, DeadLetters.CodeHeader));
            Assert.StartsWith(messages[i].Code + ": ", Header(copy, DeadLetters.ReasonHeader));
            Assert.Equal(messages[i].Value ?? [], copy.Message.Value ?? []);
        }

        output.WriteLine(Table(messages, TopicOf));
    }

    /// <summary>The key as the consumer reads it (UTF-8, invalid bytes replaced).</summary>
    private static string? Key(FuzzMessage m) => m.Key is null ? null : Encoding.UTF8.GetString(m.Key);

    private static IConsumer<string?, byte[]> DeadLetterReader(TestScope scope)
    {
        var consumer = new ConsumerBuilder<string?, byte[]>(new ConsumerConfig
        {
            BootstrapServers = scope.BootstrapServers, GroupId = "dlq-reader-" + Guid.NewGuid(), AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false,
        }).Build();
        consumer.Assign(scope.Topics.Inputs.SelectMany(t => Enumerable.Range(0, scope.Partitions)
            .Select(p => new TopicPartitionOffset(Correlator.Hosting.TopicNames.DeadLetterTopic(t), p, Offset.Beginning))));
        return consumer;
    }

    /// <summary>Reads dead letters until there are <paramref name="expected"/> (the copies are acknowledged before offsets are committed), then checks for extras.</summary>
    private static void Drain(IConsumer<string?, byte[]> consumer, List<ConsumeResult<string?, byte[]>> into, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (into.Count < expected && DateTime.UtcNow < deadline)
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } r) into.Add(r);
        while (consumer.Consume(TimeSpan.FromMilliseconds(into.Count > expected ? 0 : 300)) is { } extra) into.Add(extra);
        if (into.Count != expected)
        {
            var where = string.Join(", ", consumer.Assignment.Select(tp => $"{tp}: {consumer.Position(tp)}/{consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).High}"));
            throw new Xunit.Sdk.XunitException($"read {into.Count} dead letters, expected {expected} ({where})");
        }
    }

    private static string? Header(ConsumeResult<string?, byte[]> r, string name) =>
        r.Message.Headers.TryGetLastBytes(name, out var b) ? Encoding.UTF8.GetString(b) : null;

    private static string Summary(FuzzMessage[] messages) =>
        $"{messages.Length} records: {string.Join(", ", messages.GroupBy(m => m.Class).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}";

    /// <summary>Input class × outcome, the closing table of issue 23 (every row checked above: nothing lost, nothing stored twice).</summary>
    private string Table(FuzzMessage[] messages, Func<MessageKind, string> topicOf)
    {
        var firstOfContent = messages.Select((m, i) => (m, i)).Where(x => x.m.Expect == Expect.Rejected)
            .GroupBy(x => (topicOf(x.m.Kind), IngestBatch.ContentReceipt(Key(x.m), x.m.Value ?? []))).Select(g => g.First().i).ToHashSet();
        var rows = messages.Select((m, i) => (m, i)).GroupBy(x => x.m.Class).OrderBy(g => g.Key).Select(g =>
            $"| {g.Key} | {g.Count()} | {g.Count(x => x.m.Expect == Expect.Accepted)} | {g.Count(x => x.m.Expect == Expect.Duplicate)} | 0 | 0 | " +
            $"{g.Count(x => x.m.Expect == Expect.Rejected)} | {g.Count(x => firstOfContent.Contains(x.i))} | {string.Join(" ", g.Where(x => x.m.Code is not null).Select(x => x.m.Code).Distinct().Order())} |");
        return "| input class | sent | stored | redelivered (not stored again) | duplicated | lost | rejected (DLQ copies) | rejections stored | codes |\n" +
               "|---|---|---|---|---|---|---|---|---|\n" + string.Join("\n", rows);
    }
}
