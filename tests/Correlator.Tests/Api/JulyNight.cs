using Correlator.Backtest;
using Correlator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Api;

/// <summary>
/// One host per test class that reads: the July 2024 night (small) backtested through Kafka, Marten and the daemon,
/// served with open access. Tests that change state act on the Azure storage finding only.
/// </summary>
public sealed class JulyNight : IAsyncLifetime
{
    public const string CrowdStrike = "crowdstrike/falcon-content/C-00000291-00000000-00000032";
    public const string AzureStorage = "microsoft/azure-storage/config-2024-07-18-cus";
    public const string CsAgent = "windows-kernel:0x00000050:csagent.sys";

    public ServiceHost Host { get; private set; } = null!;
    public BacktestReport Report { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scope = (await TestServices.Instance).NewScope();
        Host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?> { ["Api:OpenAccess"] = "true" });
        Report = await BacktestRun.RunAsync(Host.App, Corpus.Path("july-2024-small.ndjson"), NullLogger.Instance, TimeSpan.FromMinutes(5), CancellationToken.None);
        Http = Host.Client();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
