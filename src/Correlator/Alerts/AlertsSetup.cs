using Correlator.Findings;
using Correlator.Hosting;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Kafka;
using Wolverine.Marten;

namespace Correlator.Alerts;

public static class AlertsSetup
{
    public const string WebhookQueue = "alerts-webhooks";

    /// <summary>
    /// Finding transitions leave the store by one mechanism: the <c>alerts-relay</c> Marten subscription publishes
    /// them through Wolverine's outbox (its progress and the outgoing messages commit together) to the findings topic
    /// and to the durable webhook queue.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddAlerts(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, IConfiguration config)
    {
        var section = config.GetSection(AlertsOptions.Section);
        var options = section.Get<AlertsOptions>() ?? new AlertsOptions();
        WebhookConfiguration.Check(options);
        var kafka = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>() ?? new KafkaOptions();
        var bootstrap = kafka.BootstrapServers;
        if (string.IsNullOrWhiteSpace(bootstrap)) throw new Correlator.Cli.ConfigurationProblem("Kafka:BootstrapServers is not configured (alerts publish to the findings topic)");

        var services = marten.Services;
        services.Configure<AlertsOptions>(section);
        services.AddHttpClient(DeliverWebhookHandler.HttpClientName);
        services.ConfigureMarten(opts => opts.Events.AddEventType<WebhookDeliveryFailed>());
        services.ConfigureWolverine(opts =>
        {
            opts.UseKafka(bootstrap).ConfigureClient(kafka.ApplyTo);
            opts.PublishMessage<FindingCloudEvent>().ToKafkaTopic(kafka.Topics.Findings)
                .UseDurableOutbox()
                .DefaultSerializer(new FindingCloudEventSerializer())
                .UseInterop(new FindingCloudEventMapper())
                .ConfigureProducer(p =>
                {
                    p.BootstrapServers = bootstrap;
                    kafka.ApplyTo(p);
                    p.Acks = Confluent.Kafka.Acks.All;
                    // A send that cannot complete fails in time and stays in the outbox for the next try.
                    p.MessageTimeoutMs = (int)options.KafkaSendTimeout.TotalMilliseconds;
                })
                .UseIdempotentProducer();
            opts.PublishMessage<WebhookDelivery>().ToLocalQueue(WebhookQueue);
            opts.LocalQueue(WebhookQueue).UseDurableInbox().MaximumParallelMessages(4);
            if (options.Delivery.SchedulerPollingInterval is { } polling)
            {
                opts.Durability.ScheduledJobPollingTime = polling;
                opts.Durability.ScheduledJobFirstExecution = polling;
            }
        });

        return marten.PublishEventsToWolverine(AlertRelay.SubscriptionName, relay =>
        {
            relay.PublishEvent<FindingRaised>((e, bus) => AlertRelay.PublishAsync(e, bus, options));
            relay.PublishEvent<FindingUpdated>((e, bus) => AlertRelay.PublishAsync(e, bus, options));
            relay.PublishEvent<FindingConfirmed>((e, bus) => AlertRelay.PublishAsync(e, bus, options));
            relay.PublishEvent<FindingDismissed>((e, bus) => AlertRelay.PublishAsync(e, bus, options));
            relay.PublishEvent<FindingResolved>((e, bus) => AlertRelay.PublishAsync(e, bus, options));
        });
    }
}
