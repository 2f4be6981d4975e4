using Confluent.Kafka;
using Correlator.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Correlator.Health;

/// <summary>The broker answers a metadata request (with the configured security settings) and lists the input topics.</summary>
public sealed class BrokerHealthCheck(IOptions<KafkaOptions> kafka, IOptions<HealthOptions> options) : IHealthCheck, IDisposable
{
    private readonly Lazy<IAdminClient> _admin = new(() => new AdminClientBuilder(new AdminClientConfig(kafka.Value.ClientConfig())).Build());

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            var metadata = await Task.Run(() => _admin.Value.GetMetadata(options.Value.Timeout), ct);
            var missing = kafka.Value.Topics.Inputs.Where(t => metadata.Topics.All(m => m.Topic != t || m.Error.IsError)).ToList();
            var data = new Dictionary<string, object> { ["brokers"] = metadata.Brokers.Count };
            return missing.Count == 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} broker(s)", data)
                : HealthCheckResult.Degraded($"{metadata.Brokers.Count} broker(s); input topic(s) not there yet: {string.Join(", ", missing)}", data: data);
        }
        catch (KafkaException e)
        {
            return HealthCheckResult.Unhealthy($"the broker did not answer: {e.Error.Reason}");
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated) _admin.Value.Dispose();
    }
}
