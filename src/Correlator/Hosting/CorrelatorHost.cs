using Correlator.Alerts;
using Correlator.Api;
using Correlator.Cli;
using Correlator.Findings;
using Correlator.Ingestion;
using Correlator.Rollouts;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Correlator.Hosting;

/// <summary>The composition root: the service as <c>serve</c>, <c>demo</c>, <c>backtest</c> and the tests run it.</summary>
public static class CorrelatorHost
{
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> settings, string[]? args = null, LogLevel logLevel = LogLevel.Information)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });
        // Later settings win: callers append what they start (an embedded PostgreSQL, a schema) to the configuration
        // they were given, which may name the same keys.
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings) merged[key] = value;
        builder.Configuration.AddInMemoryCollection(merged);
        // Only serve and demo listen on a known port; every other host (backtest, benchmarks, tests) takes a free one.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:0");
        CliContext.ConfigureLogging(builder.Logging, logLevel);

        var config = builder.Configuration;
        builder.Services.Configure<KafkaOptions>(config.GetSection(KafkaOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCorrelatorStore(config)
            .AddFindings(config)
            .AddAlerts(config)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = (config.GetSection("Store").Get<StoreOptions>() ?? new StoreOptions()).Schema + "_wolverine");
        builder.Services.AddIngestion(config);
        builder.Services.AddCorrelatorApi(config);
        builder.Services.AddRollouts(config);

        builder.Host.UseWolverine(opts =>
        {
            opts.ServiceName = "correlator";
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            opts.Policies.AutoApplyTransactions();
            opts.Discovery.IncludeAssembly(typeof(CorrelatorHost).Assembly);
        });
        builder.Services.AddWolverineHttp();

        var app = builder.Build();
        app.MapWolverineEndpoints(o => o.RejectUnparseableQueryValues = true);
        app.MapCorrelatorApi();
        return app;
    }
}
