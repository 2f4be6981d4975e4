using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Correlator.Api;
using Correlator.Tests.Api;
using Correlator.Findings;
using Correlator.Ingestion;
using Correlator.Scenarios;
using Correlator.Tests.Support;
using Marten;

namespace Correlator.Tests.Ingestion;

/// <summary>
/// Issue 24: what a user with kcat or a plain Kafka client sees. The producer here sets no record timestamps, so
/// librdkafka stamps each record with the time it was sent, as kcat does.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class PlainProducerTests
{
    private static readonly string File = Corpus.Path("july-2024-small.ndjson");
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private const string Key = "reader-key-for-plain-producers";

    private static Dictionary<string, string?> Settings(string? knowledgeTime = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "health", ["Api:Keys:0:Role"] = ApiRoles.Reader, ["Api:Keys:0:Sha256"] = ApiKeyAuthentication.HashOf(Key),
        };
        if (knowledgeTime is not null) settings["Ingestion:KnowledgeTime"] = knowledgeTime;
        return settings;
    }

    [Fact]
    public async Task A_historic_file_from_a_plain_producer_gives_its_findings_with_event_time_knowledge()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var host = await ServiceHost.StartAsync(scope, Settings("EventTime"));
        await ProducePlainAsync(scope, await LinesAsync());

        var expected = ExpectedCulprits();
        var found = await FindingsAsync(host, expected.Count);
        Assert.Equal(expected, found.Select(f => f.Current.UpdateId).Order(StringComparer.Ordinal).ToList());

        var health = await host.Client(Key).GetOk<IngestionHealth>("/api/health/ingestion");
        Assert.Equal("EventTime", health.KnowledgeTime);
        Assert.Equal(0, health.HistoricRecords);
    }

    [Fact]
    public async Task The_same_file_with_record_timestamp_knowledge_is_stored_and_the_health_route_says_why_it_gives_no_finding()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var host = await ServiceHost.StartAsync(scope, Settings());
        var lines = await LinesAsync();
        var ends = await ProducePlainAsync(scope, lines);
        await host.Get<IngestionProgress>().WaitForAsync(ends, Limit, default);

        var health = await host.Client(Key).GetOk<IngestionHealth>("/api/health/ingestion");
        Assert.Equal("RecordTimestamp", health.KnowledgeTime);
        // Every valid message of a July 2024 night (its redeliveries too) is older than 14 days at a record timestamp of today.
        Assert.Equal(health.Accepted + health.Duplicates, health.HistoricRecords);
        Assert.Contains("days before its record timestamp", health.LastHistoric);
        Assert.Contains("Ingestion:KnowledgeTime=EventTime", health.Hint);
    }

    [Fact]
    public async Task A_recent_history_from_a_plain_producer_is_evaluated_in_the_lull_after_it_without_more_traffic()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var host = await ServiceHost.StartAsync(scope);
        // The same night moved to end a minute ago: every record is stamped now, within a minute or two of the last one.
        var lines = await LinesAsync();
        var newest = lines.Select(ScenarioReader.EventTime).Max()!.Value;
        var shift = DateTimeOffset.UtcNow.AddMinutes(-1) - newest;
        var shifted = lines.Select(l => Shift(l, shift)).ToList();
        await ProducePlainAsync(scope, shifted);
        var lastSent = DateTimeOffset.UtcNow;
        var quiet = Stopwatch.StartNew();

        // Nothing more is sent: only the idle timeout can close the newest minute, so only it can let these be evaluated.
        var expected = ExpectedCulprits();
        var found = await FindingsAsync(host, expected.Count);
        Assert.Equal(expected, found.Select(f => f.Current.UpdateId).Order(StringComparer.Ordinal).ToList());
        var watermark = host.Get<IngestionProgress>().Watermark;
        Assert.NotNull(watermark);
        Assert.True(watermark > Correlator.Correlation.TimeBuckets.Minute(lastSent.AddSeconds(-5)), $"watermark {watermark:O}, last record sent {lastSent:O}");
        Console.WriteLine($"lull: both findings {quiet.Elapsed.TotalSeconds:0.0} s after the last record was sent");
    }

    private static async Task<List<ScenarioLine>> LinesAsync()
    {
        var lines = new List<ScenarioLine>();
        await foreach (var line in ScenarioReader.ReadAsync(File)) lines.Add(line);
        return lines;
    }

    private static List<string> ExpectedCulprits()
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(Corpus.Path("july-2024-small.expected.json")));
        return doc.RootElement.GetProperty("culprits").EnumerateArray().Select(c => c.GetProperty("updateId").GetString()!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Every timestamp in the message moved by <paramref name="shift"/>, its offset kept; malformed lines as they are.</summary>
    private static ScenarioLine Shift(ScenarioLine line, TimeSpan shift)
    {
        if (line.Value is not { ValueKind: JsonValueKind.Object } value) return line;
        var node = JsonNode.Parse(value.GetRawText())!;
        ShiftTimes(node, shift);
        return line with { Value = JsonDocument.Parse(node.ToJsonString()).RootElement };
    }

    private static void ShiftTimes(JsonNode node, TimeSpan shift)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                {
                    if (child is JsonValue v && v.TryGetValue<string>(out var s) && s.Length >= 20 && s[10] == 'T' && DateTimeOffset.TryParse(s, out var t))
                        o[key] = (t + shift).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz");
                    else if (child is not null) ShiftTimes(child, shift);
                }
                break;
            case JsonArray a:
                foreach (var child in a) if (child is not null) ShiftTimes(child, shift);
                break;
        }
    }

    /// <summary>Like kcat: key and value only, no record timestamp (the client stamps the send time).</summary>
    private static Task<Dictionary<TopicPartition, long>> ProducePlainAsync(TestScope scope, IEnumerable<ScenarioLine> lines)
    {
        var ends = new Dictionary<TopicPartition, long>();
        var failed = 0;
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = scope.BootstrapServers }).Build();
        foreach (var line in lines)
        {
            var topic = line.Topic switch
            {
                "crash-dumps" => scope.Topics.Crashes,
                "service-status" => scope.Topics.Status,
                _ => scope.Topics.Manifests,
            };
            producer.Produce(topic, new Message<string?, byte[]> { Key = line.Key, Value = line.Bytes() }, r =>
            {
                lock (ends)
                {
                    if (r.Error.IsError) failed++;
                    else ends[r.TopicPartition] = Math.Max(ends.GetValueOrDefault(r.TopicPartition), r.Offset.Value + 1);
                }
            });
        }
        producer.Flush(TimeSpan.FromMinutes(1));
        Assert.Equal(0, failed);
        return Task.FromResult(ends);
    }

    private static async Task<List<FindingView>> FindingsAsync(ServiceHost host, int count)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            await using var session = host.Store.QuerySession();
            var found = (await session.Query<FindingView>().ToListAsync()).ToList();
            if (found.Count >= count || DateTime.UtcNow > deadline)
            {
                if (found.Count >= count) await Task.Delay(3000); // any extra finding raised with them shows up too
                await using var again = host.Store.QuerySession();
                return (await again.Query<FindingView>().ToListAsync()).ToList();
            }
            await Task.Delay(500);
        }
    }
}
