using Correlator.Backtest;
using Correlator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Api;

/// <summary>
/// A host that read <c>config-rollout-regions</c> backtested through Kafka, Marten and the daemon: an edge-gateway
/// configuration rolled out westeurope, eastus, centralus degraded checkout-api and payments-api in each, with no crash
/// at all. Served with open access; read only.
/// </summary>
public sealed class ConfigRolloutDay : IAsyncLifetime
{
    public const string Gateway = "internal/edge-gateway/config-2024-09-03";
    public static readonly string[] WaveOrder = ["westeurope", "eastus", "centralus"];

    public ServiceHost Host { get; private set; } = null!;
    public BacktestReport Report { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scope = (await TestServices.Instance).NewScope();
        Host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?> { ["Api:OpenAccess"] = "true" });
        Report = await BacktestRun.RunAsync(Host.App, Corpus.Path("config-rollout-regions.ndjson"), NullLogger.Instance, TimeSpan.FromMinutes(5), CancellationToken.None);
        Http = Host.Client();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
