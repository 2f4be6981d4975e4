using System.Net;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Correlator.Hosting;
using Correlator.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Correlator.Tests.Hosting;

[Collection(IntegrationCollection.Name)]
public class KafkaClientSettingsTests
{
    [Fact]
    public void Security_settings_from_configuration_reach_every_client_config()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kafka:BootstrapServers"] = "broker-1:9093",
            ["Kafka:Client:security.protocol"] = "SASL_SSL",
            ["Kafka:Client:sasl.mechanism"] = "SCRAM-SHA-512",
            ["Kafka:Client:sasl.username"] = "correlator",
            ["Kafka:Client:sasl.password"] = "s3cret",
            ["Kafka:Client:ssl.ca.location"] = "/run/secrets/ca.pem",
        }).Build();
        var kafka = config.GetSection(KafkaOptions.Section).Get<KafkaOptions>()!;

        foreach (ClientConfig client in new ClientConfig[] { new ConsumerConfig(kafka.ClientConfig()), new ProducerConfig(kafka.ClientConfig()), new AdminClientConfig(kafka.ClientConfig()) })
        {
            Assert.Equal("broker-1:9093", client.BootstrapServers);
            // As librdkafka receives them (Confluent's typed getters know only their own spellings of the enums).
            Assert.Equal("SASL_SSL", client.Get("security.protocol"));
            Assert.Equal("SCRAM-SHA-512", client.Get("sasl.mechanism"));
            Assert.Equal("correlator", client.SaslUsername);
            Assert.Equal("s3cret", client.SaslPassword);
            Assert.Equal("/run/secrets/ca.pem", client.SslCaLocation);
        }
        var wolverines = new ProducerConfig { BootstrapServers = "broker-1:9093" };
        kafka.ApplyTo(wolverines);
        Assert.Equal("/run/secrets/ca.pem", wolverines.SslCaLocation);
    }

    [Fact]
    public async Task A_running_host_uses_them_so_a_wrong_protocol_shows_as_an_unhealthy_broker()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        // The embedded broker speaks plaintext: TLS handshakes to it fail.
        await using var host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?>
        {
            ["Kafka:Client:security.protocol"] = "SSL",
            ["Health:Timeout"] = "00:00:01",
        });
        Assert.Equal("SSL", host.Get<IOptions<KafkaOptions>>().Value.Client["security.protocol"]);
        using var http = host.Client();
        using var response = await http.GetAsync("/health/ready");
        var report = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var kafka = report["checks"]!.AsArray().Single(c => (string?)c!["name"] == "kafka")!;
        Assert.Equal("Unhealthy", (string?)kafka["status"]);
    }
}
