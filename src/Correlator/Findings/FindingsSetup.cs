using Correlator.Correlation;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Correlator.Findings;

public static class FindingsSetup
{
    /// <summary>Correlation settings come from the <c>Correlation</c> section (see docs/correlation.md).</summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddFindings(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, IConfiguration config)
    {
        var settings = config.GetSection("Correlation").Get<CorrelationSettings>() ?? CorrelationSettings.Default;
        marten.Services.AddSingleton(settings);
        marten.Services.AddSingleton(config.GetSection("Findings").Get<FindingsOptions>() ?? new FindingsOptions());
        marten.Services.ConfigureMarten(opts =>
        {
            opts.Events.AddEventTypes([.. FindingTransitions.Types, typeof(FindingFeedback)]);
            opts.Storage.ExtendedSchemaObjects.Add(FindingsCheckpoints.Table(opts.DatabaseSchemaName));
            // Big pages and deferred writes while rebuilding: each page otherwise reloads and re-saves the same growing views
            // (measured ~3x on `bench rebuild`).
            opts.Projections.Add<FindingViewProjection>(ProjectionLifecycle.Async, o =>
            {
                o.BatchSize = 5000;
                o.RebuildFlushThreshold = Api.ApiSetup.RebuildFlushThreshold;
            });
        });
        return marten.AddSubscriptionWithServices<FindingsSubscription>(ServiceLifetime.Singleton);
    }
}
