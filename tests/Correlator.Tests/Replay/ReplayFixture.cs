using Correlator.Backtest;
using Correlator.Findings;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
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
/// offline, as the maintenance commands do. Built once per test run, whichever class asks first.
/// </summary>
public sealed class ReplayFixture
{
    private static readonly Lazy<Task<ReplayFixture>> Shared = new(async () =>
    {
        var fixture = new ReplayFixture();
        await fixture.InitializeAsync();
        return fixture;
    });

    public static Task<ReplayFixture> Instance => Shared.Value;

    public static readonly string Scenario = Corpus.Path("july-2024-small.ndjson");
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Kestrel on a free port: other test runs on this machine may hold 5000.</summary>
    public static Dictionary<string, string?> AnyPort => new() { ["urls"] = "http://127.0.0.1:0" };

    public TestScope Scope { get; private set; } = null!;
    public IReadOnlyList<FindingSnapshot> Findings { get; private set; } = [];
    public IReadOnlyList<FindingSnapshot> FindingsAfterSecondIngest { get; private set; } = [];
    public EventCounts AfterFirstIngest { get; private set; } = null!;
    public EventCounts AfterSecondIngest { get; private set; } = null!;

    private async Task InitializeAsync()
    {
        Scope = (await TestServices.Instance).NewScope();
        await using var host = await ServiceHost.StartAsync(Scope, AnyPort);
        await BacktestRun.RunAsync(host.App, Scenario, NullLogger.Instance, Limit, CancellationToken.None);
        Findings = await FindingSnapshot.ReadAsync(host.Store);
        AfterFirstIngest = await EventCounts.ReadAsync(host.Store);

        var kafka = host.Get<IOptions<KafkaOptions>>().Value;
        var again = await new ScenarioProducer(kafka.BootstrapServers!, kafka.Topics).ProduceAsync(Scenario);
        await host.Get<IngestionProgress>().WaitForAsync(again.EndOffsets, Limit, CancellationToken.None);
        await host.Store.WaitForNonStaleProjectionDataAsync(Limit);
        await host.Store.WaitForNonStaleProjectionDataAsync(Limit);
        FindingsAfterSecondIngest = await FindingSnapshot.ReadAsync(host.Store);
        AfterSecondIngest = await EventCounts.ReadAsync(host.Store);
    }

    /// <summary>The store of the live history, with no service running on it.</summary>
    public OfflineStore Offline() => OfflineStore.Open(Scope.Configuration());

    public static async Task<long> CountEventsAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents().LongCountAsync();
    }

}

/// <summary>How many events of each kind a store holds.</summary>
public sealed record EventCounts(long All, long Inputs, long Transitions, long Rejected, long Watermarks)
{
    public static async Task<EventCounts> ReadAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        Type[] inputs = [typeof(CrashReported), typeof(ServiceStatusObserved), typeof(UpdateReleased), typeof(UpdateRecalled), typeof(UpdateInstalled)];
        return new EventCounts(
            await session.Events.QueryAllRawEvents().LongCountAsync(),
            await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(inputs)).LongCountAsync(),
            await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(FindingTransitions.Types)).LongCountAsync(),
            await session.Events.QueryRawEventDataOnly<MessageRejected>().LongCountAsync(),
            await session.Events.QueryRawEventDataOnly<IngestWatermarkAdvanced>().LongCountAsync());
    }
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
