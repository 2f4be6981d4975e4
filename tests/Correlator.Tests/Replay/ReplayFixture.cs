using Correlator.Backtest;
using Correlator.Findings;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Replay;
using Correlator.Scenarios;
using Correlator.Tests.Support;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Correlator.Tests.Replay;

/// <summary>
/// One live history for the replay tests: july-2024-small backtested through Kafka, Marten and the daemon, then the
/// same file produced a second time (every message a duplicate), then the service stopped. Tests work on that store
/// offline, as the maintenance commands do.
/// </summary>
public sealed class ReplayFixture : IAsyncLifetime
{
    public static readonly string Scenario = Corpus.Path("july-2024-small.ndjson");
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Kestrel on a free port: other test runs on this machine may hold 5000.</summary>
    public static Dictionary<string, string?> AnyPort => new() { ["urls"] = "http://127.0.0.1:0" };

    public TestScope Scope { get; private set; } = null!;
    public IReadOnlyList<FindingSnapshot> Findings { get; private set; } = [];
    public IReadOnlyList<FindingSnapshot> FindingsAfterSecondIngest { get; private set; } = [];
    public long EventsAfterFirstIngest { get; private set; }
    public long EventsAfterSecondIngest { get; private set; }
    public long WatermarksAfterFirstIngest { get; private set; }
    public long WatermarksAfterSecondIngest { get; private set; }

    public async Task InitializeAsync()
    {
        Scope = (await TestServices.Instance).NewScope();
        await using var host = await ServiceHost.StartAsync(Scope, AnyPort);
        await BacktestRun.RunAsync(host.App, Scenario, NullLogger.Instance, Limit, CancellationToken.None);
        Findings = await FindingSnapshot.ReadAsync(host.Store);
        EventsAfterFirstIngest = await CountEventsAsync(host.Store);
        WatermarksAfterFirstIngest = await CountAsync<IngestWatermarkAdvanced>(host.Store);

        var kafka = host.Get<IOptions<KafkaOptions>>().Value;
        var again = await new ScenarioProducer(kafka.BootstrapServers!, kafka.Topics).ProduceAsync(Scenario);
        await host.Get<IngestionProgress>().WaitForAsync(again.EndOffsets, Limit, CancellationToken.None);
        await host.Store.WaitForNonStaleProjectionDataAsync(Limit);
        await host.Store.WaitForNonStaleProjectionDataAsync(Limit);
        FindingsAfterSecondIngest = await FindingSnapshot.ReadAsync(host.Store);
        EventsAfterSecondIngest = await CountEventsAsync(host.Store);
        WatermarksAfterSecondIngest = await CountAsync<IngestWatermarkAdvanced>(host.Store);
    }

    /// <summary>The store of the live history, with no service running on it.</summary>
    public OfflineStore Offline() => OfflineStore.Open(Scope.Configuration());

    public static async Task<long> CountEventsAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }

    public static async Task<long> CountAsync<T>(IDocumentStore store) where T : notnull
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryRawEventDataOnly<T>().LongCountAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>A finding as the read model holds it, reduced to what must survive a rebuild, an import or a re-ingest.</summary>
public sealed record FindingSnapshot(string Id, string Status, double Confidence, DateTimeOffset DetectedAt, DateTimeOffset UpdatedAt, string Json)
{
    public static async Task<IReadOnlyList<FindingSnapshot>> ReadAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var views = await session.Query<FindingView>().ToListAsync();
        return views
            .Select(v => new FindingSnapshot(v.Id, v.Current.Status, v.Current.Confidence, v.DetectedAt, v.UpdatedAt,
                System.Text.Json.JsonSerializer.Serialize(new { v.Current, v.History })))
            .OrderBy(f => f.Id, StringComparer.Ordinal)
            .ToList();
    }
}
