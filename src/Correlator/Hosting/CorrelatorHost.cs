using Correlator.Alerts;
using Correlator.Api;
using Correlator.Cli;
using Correlator.Findings;
using Correlator.Health;
using Correlator.Ingestion;
using Correlator.Rollouts;
using Correlator.Telemetry;
using JasperFx.CodeGeneration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace Correlator.Hosting;

/// <summary>
/// The composition root. <see cref="Build"/>: the service as <c>serve</c>, <c>demo</c>, <c>backtest</c> and the tests run
/// it. <see cref="BuildStoreOnly"/>: the event store with its projections for the offline commands.
/// </summary>
public static class CorrelatorHost
{
    /// <param name="listen">false: no HTTP server at all (<see cref="NoServer"/>), for a run that only prints.</param>
    public static WebApplication Build(IEnumerable<KeyValuePair<string, string?>> settings, string[]? args = null, LogLevel logLevel = LogLevel.Information,
        bool listen = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(Merge(settings));
        // Only serve and demo listen on a known port; every other host (backtest, benchmarks, tests) takes a free one.
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (!listen) builder.Services.AddSingleton<IServer, NoServer>();
        CliContext.ConfigureLogging(builder.Logging, logLevel, builder.Configuration);

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
        builder.Services.AddCorrelatorHealth(config);
        builder.Services.AddCorrelatorTelemetry(config);

        builder.Host.UseWolverine(opts =>
        {
            opts.ServiceName = "correlator";
            opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            opts.Policies.AutoApplyTransactions();
            // Handlers live in this assembly, not the entry assembly (the CLI): say so, or Wolverine warns at every start.
            opts.ApplicationAssembly = typeof(CorrelatorHost).Assembly;
            opts.Discovery.IncludeAssembly(typeof(CorrelatorHost).Assembly);
        });
        builder.Services.AddWolverineHttp();

        var app = builder.Build();
        app.MapWolverineEndpoints(o => o.RejectUnparseableQueryValues = true);
        app.MapCorrelatorApi();
        app.MapCorrelatorHealth();
        app.MapCorrelatorTelemetry();
        return app;
    }

    /// <summary>
    /// The same Marten configuration (event types, bodies, projections, the findings subscription) and the ingestion
    /// writer's services, without Wolverine, Kafka, alerts or an HTTP server: what <c>rebuild</c>, <c>replay</c>,
    /// <c>export</c>, <c>import</c> and the store queries need. Never started: no daemon, no consumer runs.
    /// </summary>
    public static IHost BuildStoreOnly(IEnumerable<KeyValuePair<string, string?>> settings, LogLevel logLevel = LogLevel.Warning)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(Merge(settings));
        CliContext.ConfigureLogging(builder.Logging, logLevel, builder.Configuration);
        var config = builder.Configuration;
        builder.Services.Configure<KafkaOptions>(config.GetSection(KafkaOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddCorrelatorStore(config).AddFindings(config);
        builder.Services.AddIngestion(config);
        builder.Services.AddApiProjections();
        builder.Services.AddRollouts(config);
        return builder.Build();
    }

    /// <summary>Later settings win: callers append what they start (an embedded PostgreSQL, a schema) to the configuration they were given.</summary>
    private static Dictionary<string, string?> Merge(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings) merged[key] = value;
        return merged;
    }
}
