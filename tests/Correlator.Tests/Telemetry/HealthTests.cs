using System.Net;
using System.Text.Json.Nodes;
using Correlator.Embedded;
using Correlator.Ingestion;
using Correlator.Scenarios;
using Correlator.Tests.Support;

namespace Correlator.Tests.Telemetry;

[Collection(IntegrationCollection.Name)]
public class HealthTests
{
    [Fact]
    public async Task Ready_reports_every_dependency_and_turns_unhealthy_when_PostgreSQL_stops()
    {
        var postgres = await EmbeddedPostgres.StartAsync();
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        var host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marten"] = await postgres.EnsureDatabaseAsync("health"),
            ["Health:Timeout"] = "00:00:01",
        });
        var stopped = false;
        try
        {
            using var http = host.Client(); // no key: probes are public
            var (status, ready) = await GetAsync(http, "/health/ready");
            Assert.True(status == HttpStatusCode.OK, ready.ToJsonString());
            Assert.Equal("Healthy", (string?)ready["status"]);
            Assert.Equal(["ingestion", "kafka", "postgresql", "projections"], Checks(ready).Keys.Order());
            Assert.All(Checks(ready).Values, c => Assert.Equal("Healthy", c));

            await postgres.DisposeAsync();
            stopped = true;

            (status, ready) = await GetAsync(http, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", (string?)ready["status"]);
            Assert.Equal("Unhealthy", Checks(ready)["postgresql"]);
            Assert.Equal("Healthy", Checks(ready)["kafka"]);
            var (liveStatus, live) = await GetAsync(http, "/health/live");
            Assert.Equal(HttpStatusCode.OK, liveStatus);
            Assert.Equal("Healthy", (string?)live["status"]);
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await host.App.StopAsync(stopping.Token); } catch (OperationCanceledException) { }
            await host.App.DisposeAsync();
            if (!stopped) await postgres.DisposeAsync();
        }
    }

    [Fact]
    public async Task Ready_is_unhealthy_while_projections_lag_beyond_the_threshold_or_the_ingestor_is_faulted()
    {
        // No daemon: whatever is ingested stays unprojected.
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        await using var host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?>
        {
            ["Store:Daemon"] = "Disabled",
            ["Health:MaxProjectionLag"] = "100",
        });
        using var http = host.Client();
        var produced = await new ScenarioProducer(scope.BootstrapServers, scope.Topics).ProduceAsync(Corpus.Path("tiny-fleet.ndjson"));
        var progress = host.Get<IngestionProgress>();
        await progress.WaitForAsync(produced.EndOffsets, TimeSpan.FromMinutes(2), CancellationToken.None);

        var (status, ready) = await GetAsync(http, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", Checks(ready)["projections"]);
        Assert.Equal("Healthy", Checks(ready)["ingestion"]);
        var projections = ready["checks"]!.AsArray().Single(c => (string?)c!["name"] == "projections")!;
        Assert.Contains("more than 100 events behind", (string?)projections["description"]);
        Assert.True((long)projections["data"]!["Findings:All"]! >= progress.Accepted, projections.ToJsonString());

        progress.Fault = "storing failed 3 time(s): permission denied for table mt_events";
        (_, ready) = await GetAsync(http, "/health/ready");
        var ingestion = ready["checks"]!.AsArray().Single(c => (string?)c!["name"] == "ingestion")!;
        Assert.Equal("Unhealthy", (string?)ingestion["status"]);
        Assert.Equal(progress.Fault, (string?)ingestion["description"]);
    }

    [Fact]
    public async Task Health_and_the_scrape_need_no_api_key_and_stay_out_of_the_openapi_document()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        await using var host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "k",
            ["Api:Keys:0:Role"] = Correlator.Api.ApiRoles.Reader,
            ["Api:Keys:0:Sha256"] = Correlator.Api.ApiKeyAuthentication.HashOf("some-key"),
        });
        using var http = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/findings")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
        var paths = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.DoesNotContain(paths, p => p.StartsWith("/health", StringComparison.Ordinal) || p.StartsWith("/metrics", StringComparison.Ordinal));
    }

    private static async Task<(HttpStatusCode, JsonNode)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static Dictionary<string, string> Checks(JsonNode report) =>
        report["checks"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => (string)c!["status"]!);
}
