using Correlator.Backtest;
using Correlator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Api;

/// <summary>One host per test class: a corpus scenario backtested through Kafka, Marten and the daemon, served with open access.</summary>
public abstract class BacktestedHost(string scenario) : IAsyncLifetime
{
    public ServiceHost Host { get; private set; } = null!;
    public BacktestReport Report { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scope = (await TestServices.Instance).NewScope();
        Host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?> { ["Api:OpenAccess"] = "true" });
        Report = await BacktestRun.RunAsync(Host.App, Corpus.Path(scenario), NullLogger.Instance, TimeSpan.FromMinutes(5), CancellationToken.None);
        Http = Host.Client();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
