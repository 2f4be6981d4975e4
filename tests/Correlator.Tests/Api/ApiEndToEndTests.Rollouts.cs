using System.CommandLine;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Correlator.Api;
using Correlator.Cli;
using Correlator.Rollouts;

namespace Correlator.Tests.Api;

/// <summary>The rollout gate and the blast radius against the backtested July night, the way Argo Rollouts and Flagger call them.</summary>
public partial class ApiEndToEndTests
{
    /// <summary>July Patch Tuesday for one Windows build: innocent, installed in two manifest waves (10 %, then 100 %).</summary>
    private const string PatchTuesday = "microsoft/windows-cu/KB5040442";

    private static string GatePath(string updateId) => $"/api/rollouts/{Uri.EscapeDataString(updateId)}/gate";

    /// <summary>What an Argo Rollouts AnalysisTemplate with <c>provider.web</c>, <c>jsonPath: "{$.decision}"</c>,
    /// <c>successCondition: result == "go"</c> and <c>failureCondition: result == "stop"</c> makes of the answer.</summary>
    private async Task<(string Phase, GateReport Report)> ArgoMeasurement(string updateId)
    {
        using var response = await _http.GetAsync(GatePath(updateId));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var result = JsonDocument.Parse(body).RootElement.GetProperty("decision").GetString();
        var phase = result == "go" ? "Successful" : result == "stop" ? "Failed" : "Inconclusive";
        return (phase, JsonSerializer.Deserialize<GateReport>(body, ApiJson.Options)!);
    }

    [Fact]
    public async Task Argo_style_the_channel_file_fails_the_analysis_with_the_finding_and_recall_as_reasons()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);

        var (phase, report) = await ArgoMeasurement(JulyNight.CrowdStrike);

        Assert.Equal("Failed", phase);
        Assert.Equal(GateDecisions.Stop, report.Decision);
        Assert.Equal(JulyNight.CrowdStrike, report.UpdateId);
        Assert.Contains(crowdstrike.FindingId, report.Evidence.Findings);
        Assert.Contains(report.Reasons, r => r.Contains("recalled", StringComparison.Ordinal) && r.Contains("Channel File 291", StringComparison.Ordinal));
        Assert.Contains(report.Reasons, r => r.StartsWith($"finding {crowdstrike.FindingId} names the update", StringComparison.Ordinal));
        Assert.Equal("targets", report.Evidence.ExposureBasis);
        Assert.True(report.Exposed > 100, $"{report.Exposed} exposed");
        Assert.True(report.FailingExposed > 100 && report.FailingExposed < report.Exposed, $"{report.FailingExposed} failing");
        Assert.True(report.ExposedRate > report.BaselineRate);
        Assert.Equal(1.0, report.Confidence);
    }

    [Fact]
    public async Task Argo_style_the_innocent_patch_tuesday_passes_and_each_wave_shows_its_hosts_and_the_gate_before_it()
    {
        var update = await _http.GetOk<UpdateReport>($"/api/updates/{PatchTuesday}");

        var (phase, report) = await ArgoMeasurement(PatchTuesday);

        Assert.Equal("Successful", phase);
        Assert.Equal(GateDecisions.Go, report.Decision);
        Assert.Empty(report.Evidence.Findings);
        Assert.Equal("installations", report.Evidence.ExposureBasis);
        Assert.True(report.Evidence.LikelihoodRatio < report.Evidence.StopThreshold);
        Assert.Equal(update.Release!.Rollout.Select(w => w.StartsAt), report.Waves.Select(w => w.StartsAt));
        Assert.Equal(report.Exposed, report.Waves.Sum(w => w.NewlyExposed));
        // Hosts install after the wave opens, not before it: nothing is exposed before wave 1.
        Assert.Equal(0, report.Waves[0].ExposedBefore);
        Assert.Equal(GateDecisions.Hold, report.Waves[0].Decision);
        Assert.NotEqual(GateDecisions.Stop, report.Waves[1].Decision);
        Assert.Equal(report.Waves[0].NewlyExposed, report.Waves[1].ExposedBefore);
    }

    [Fact]
    public async Task The_gate_as_of_before_the_release_holds_and_bad_input_is_a_clear_problem()
    {
        var before = await _http.GetOk<GateReport>($"{GatePath(JulyNight.CrowdStrike)}?asOf=2024-07-19T04:00:00Z");
        Assert.Equal(GateDecisions.Hold, before.Decision);
        Assert.Equal(0, before.Exposed);
        Assert.Contains("no host is exposed yet", before.Reasons[0]);

        var bad = await (await _http.GetAsync($"{GatePath(JulyNight.CrowdStrike)}?asOf=yesterday")).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("asOf", bad.Detail);
        var unknown = await (await _http.GetAsync(GatePath("nobody/nothing/1.0"))).Problem(HttpStatusCode.NotFound);
        Assert.Contains("nobody/nothing/1.0", unknown.Detail);
    }

    [Fact]
    public async Task Flagger_style_webhooks_advance_on_go_and_halt_on_stop_with_the_report_in_the_body()
    {
        var payload = new { name = "pos-client", @namespace = "retail", phase = "Progressing", checksum = "85d557f47b", metadata = new Dictionary<string, string> { ["team"] = "sre" } };

        using var halt = await _http.PostAsJsonAsync(GatePath(JulyNight.CrowdStrike), payload);
        Assert.Equal(HttpStatusCode.PreconditionFailed, halt.StatusCode);
        var stopped = JsonSerializer.Deserialize<GateReport>(await halt.Content.ReadAsStringAsync(), ApiJson.Options)!;
        Assert.Equal(GateDecisions.Stop, stopped.Decision);

        using var advance = await _http.PostAsJsonAsync(GatePath(PatchTuesday), payload);
        Assert.Equal(HttpStatusCode.OK, advance.StatusCode);
        Assert.Equal(GateDecisions.Go, JsonSerializer.Deserialize<GateReport>(await advance.Content.ReadAsStringAsync(), ApiJson.Options)!.Decision);
    }

    [Fact]
    public async Task The_blast_radius_of_the_channel_file_is_the_hosts_running_csagent()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);

        var blast = await _http.GetOk<BlastRadiusReport>($"/api/findings/{crowdstrike.FindingId}/blast-radius");

        Assert.Equal(crowdstrike.FindingId, blast.FindingId);
        Assert.True(blast.FailingHosts > 100 && blast.ReferenceHosts > 20, $"{blast.FailingHosts} failing, {blast.ReferenceHosts} reference");
        var csagent = Assert.Single(blast.Attributes, a => a.Attribute == "module" && a.Value == "csagent.sys");
        Assert.True(csagent.FailingShare > 0.95, $"{csagent.FailingShare}");
        Assert.True(csagent.ReferenceShare < csagent.FailingShare - 0.3, $"{csagent.ReferenceShare}");
        Assert.True(csagent.AdjustedPValue < 1e-6);
        Assert.All(blast.Attributes, a => Assert.True(a.AdjustedPValue < BlastRadius.Significance));
        Assert.Contains("module=csagent.sys", blast.Profile!.Attributes);

        await (await _http.GetAsync("/api/findings/F-0000000000/blast-radius")).Problem(HttpStatusCode.NotFound);
    }

    private static async Task<(int Code, string Out, string Err)> GateCli(params string[] args)
    {
        var root = new RootCommand { GateCommand.Create(), ExplainCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Cli_gate_exits_1_on_stop_0_on_go_2_on_hold_and_when_it_cannot_decide_and_explain_shows_the_blast_radius()
    {
        var (stop, text, err) = await GateCli("gate", JulyNight.CrowdStrike, "--url", Url);
        Assert.True(stop == GateCommand.Stop, err);
        Assert.StartsWith("STOP", text);
        Assert.Contains("recalled", text);

        var (go, json, _) = await GateCli("gate", PatchTuesday, "--url", Url, "--json");
        Assert.Equal(GateCommand.Go, go);
        Assert.Equal(GateDecisions.Go, JsonSerializer.Deserialize<GateReport>(json, ApiJson.Options)!.Decision);

        Assert.Equal(GateCommand.Hold, (await GateCli("gate", JulyNight.CrowdStrike, "--url", Url, "--as-of", "2024-07-19T04:00:00Z")).Code);
        var (unknown, _, unknownErr) = await GateCli("gate", "nobody/nothing/1.0", "--url", Url);
        Assert.Equal(GateCommand.Hold, unknown);
        Assert.Contains("gate: hold, cannot decide: no update 'nobody/nothing/1.0'", unknownErr);
        var (down, _, downErr) = await GateCli("gate", JulyNight.CrowdStrike, "--url", "http://127.0.0.1:9");
        Assert.Equal(GateCommand.Hold, down);
        Assert.Contains("gate: hold, cannot decide: no Correlator answers", downErr);

        var crowdstrike = await Finding(JulyNight.CrowdStrike);
        var (code, explain, explainErr) = await GateCli("explain", crowdstrike.FindingId, "--url", Url);
        Assert.True(code == 0, explainErr);
        Assert.Contains("What sets the failing hosts apart", explain);
        Assert.Contains("csagent.sys", explain);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_rollout_routes()
    {
        var doc = await _http.GetStringAsync("/openapi/v1.json");
        foreach (var route in new[] { "/api/rollouts/{updateId}/gate", "/api/findings/{id}/blast-radius" })
            Assert.Contains($"\"{route}\"", doc);
        Assert.Contains("\"rolloutGateWebhook\"", doc);
    }
}
