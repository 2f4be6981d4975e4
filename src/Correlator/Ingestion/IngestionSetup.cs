using Correlator.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Correlator.Ingestion;

public static class IngestionSetup
{
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<IngestionOptions>(config.GetSection(IngestionOptions.Section));
        services.AddSingleton(sp =>
        {
            var topics = sp.GetRequiredService<IOptions<KafkaOptions>>().Value.Topics;
            return new MessageValidator(sp.GetRequiredService<IOptions<IngestionOptions>>().Value.MaxMessageBytes,
                new IngestTopics(topics.Crashes, topics.Status, topics.Manifests));
        });
        services.AddSingleton<SetBasedAppend>();
        services.AddSingleton<StoreStages>();
        services.AddSingleton<IngestWriter>();
        services.AddSingleton<IngestionProgress>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.ProjectionLag>();
        services.AddSingleton<Telemetry.CorrelatorMetrics>();
        services.AddHostedService<KafkaIngestor>();
        return services;
    }
}
