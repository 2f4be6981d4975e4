using Correlator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Correlator.Health;

/// <summary>
/// <c>/health/live</c>: the process answers (no dependency checked, so a PostgreSQL outage does not get nodes restarted).
/// <c>/health/ready</c>: PostgreSQL, the broker, projection lag and the ingestor's fault state. Both are public and
/// outside the OpenAPI document, like the Prometheus scrape: probes and scrapers carry no API key.
/// </summary>
public static class HealthSetup
{
    public const string Ready = "ready";

    public static IServiceCollection AddCorrelatorHealth(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(HealthOptions.Section).Get<HealthOptions>() ?? new HealthOptions();
        services.Configure<HealthOptions>(config.GetSection(HealthOptions.Section));
        services.AddSingleton<BrokerHealthCheck>();
        var connectionString = config.GetConnectionString(StoreOptions.ConnectionStringName)!;
        services.AddHealthChecks()
            .AddNpgSql(connectionString, name: "postgresql", tags: [Ready], timeout: options.Timeout)
            .AddCheck<BrokerHealthCheck>("kafka", tags: [Ready], timeout: options.Timeout * 2)
            .AddCheck<ProjectionLagHealthCheck>("projections", tags: [Ready], timeout: options.Timeout)
            .AddCheck<IngestionHealthCheck>("ingestion", tags: [Ready]);
        return services;
    }

    public static WebApplication MapCorrelatorHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = r => r.Tags.Contains(Ready), ResponseWriter = HealthResponse.WriteAsync })
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
