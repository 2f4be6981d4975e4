using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Correlator.Rollouts;

public static class RolloutsSetup
{
    /// <summary>The fleet's hosts as the gate and blast radius read them, and the gate's settings (section <c>Rollouts:Gate</c>).</summary>
    public static IServiceCollection AddRollouts(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(config.GetSection("Rollouts:Gate").Get<GateSettings>() ?? GateSettings.Default);
        services.ConfigureMarten(opts =>
            opts.Projections.Add(new FleetHostProjection(opts.DatabaseSchemaName), ProjectionLifecycle.Async, o =>
            {
                o.BatchSize = 1000;
                o.RebuildFlushThreshold = Api.ApiSetup.RebuildFlushThreshold;
            }));
        return services;
    }
}
