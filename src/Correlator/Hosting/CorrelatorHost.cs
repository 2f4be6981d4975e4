using Correlator.Cli;
using Correlator.Findings;
using Correlator.Ingestion;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Hosting;

/// <summary>The composition root: the service as <c>serve</c>, <c>demo</c>, <c>backtest</c> and the tests run it.</summary>
public static class CorrelatorHost
{
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> settings, string[]? args = null, LogLevel logLevel = LogLevel.Information)
    {
        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        CliContext.ConfigureLogging(builder.Logging, logLevel);

        var config = builder.Configuration;
        builder.Services.Configure<KafkaOptions>(config.GetSection(KafkaOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCorrelatorStore(config).AddFindings(config);
        builder.Services.AddIngestion(config);
        return builder.Build();
    }
}
