using System.CommandLine;
using System.Text.Json;
using Correlator.Api;
using Correlator.Cli;
using Correlator.Findings;

namespace Correlator.Tests.Api;

/// <summary>The CLI query commands against the same July night: over HTTP, and straight from the store.</summary>
public partial class ApiEndToEndTests
{
    private static async Task<(int Code, string Out, string Err)> Cli(params string[] args)
    {
        var root = new RootCommand { SuspectsCommand.Create(), ExplainCommand.Create(), UpdateCommand.Create(), HostCommand.Create() };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private string Url => night.Host.BaseAddress.ToString();

    [Fact]
    public async Task Cli_suspects_prints_the_culprits_as_a_table_and_as_json()
    {
        var (code, table, err) = await Cli("suspects", "--url", Url);
        Assert.True(code == 0, err);
        var crowdstrike = await Finding(JulyNight.CrowdStrike);
        Assert.Contains(crowdstrike.FindingId, table);
        Assert.Contains(JulyNight.CrowdStrike, table);
        Assert.Contains(JulyNight.CsAgent, table);
        Assert.Contains($"{night.Report.Findings.Count} finding(s)", table);
        Assert.Contains(crowdstrike.Crashes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " crashes", table);
        var azure = await Finding(JulyNight.AzureStorage);
        Assert.True(table.IndexOf(crowdstrike.FindingId, StringComparison.Ordinal) < table.IndexOf(azure.FindingId, StringComparison.Ordinal),
            "both show confidence 1.00: the one with more crashes comes first");

        var (jsonCode, json, _) = await Cli("suspects", "--url", Url, "--json", "--vendor", "CrowdStrike");
        Assert.Equal(0, jsonCode);
        var page = JsonSerializer.Deserialize<Paged<FindingSummary>>(json, ApiJson.Options)!;
        Assert.Equal(crowdstrike.FindingId, Assert.Single(page.Items).FindingId);

        var (_, before, _) = await Cli("suspects", "--url", Url, "--as-of", crowdstrike.DetectedAt.AddSeconds(-1).ToString("O"));
        Assert.DoesNotContain(crowdstrike.FindingId, before);
    }

    [Fact]
    public async Task Cli_explain_update_and_host_tell_the_story_and_unknown_ids_exit_66()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);

        var (code, explain, err) = await Cli("explain", crowdstrike.FindingId, "--url", Url);
        Assert.True(code == 0, err);
        Assert.Contains(crowdstrike.Explanation[..60], explain);
        Assert.Contains(JulyNight.CsAgent, explain);
        Assert.Contains("Crash signatures", explain);
        Assert.Contains("raised", explain);

        var (updateCode, update, _) = await Cli("update", JulyNight.CrowdStrike, "--url", Url);
        Assert.Equal(0, updateCode);
        Assert.Contains("Recalled:  2024-07-19 05:27:00Z", update);
        Assert.Contains("affects csagent.sys", update);
        Assert.Contains(JulyNight.CsAgent, update);
        Assert.Contains(crowdstrike.FindingId, update);

        var hostId = (await _http.GetOk<SignatureReport>($"/api/signatures/{JulyNight.CsAgent}")).HostIds[0];
        var (hostCode, host, _) = await Cli("host", hostId, "--url", Url, "--json");
        Assert.Equal(0, hostCode);
        Assert.Contains(JsonSerializer.Deserialize<HostReport>(host, ApiJson.Options)!.Timeline, e => e.Signature == JulyNight.CsAgent);

        var (missing, _, missingErr) = await Cli("explain", "F-0000000000", "--url", Url);
        Assert.Equal(ExitCodes.NotFound, missing);
        Assert.Contains("no finding 'F-0000000000'", missingErr);
    }

    [Fact]
    public async Task Cli_refuses_bad_options_with_64_and_a_missing_service_with_69()
    {
        var (bad, _, badErr) = await Cli("suspects", "--url", Url, "--min-confidence", "2");
        Assert.Equal(ExitCodes.Usage, bad);
        Assert.Contains("minConfidence", badErr);

        var (down, _, downErr) = await Cli("suspects", "--url", "http://127.0.0.1:9");
        Assert.Equal(ExitCodes.Unavailable, down);
        Assert.Contains("no Correlator answers", downErr);
    }

    [Fact]
    public async Task Cli_without_url_reads_the_configured_store_directly()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);
        var saved = (Environment.GetEnvironmentVariable("ConnectionStrings__Marten"), Environment.GetEnvironmentVariable("Store__Schema"));
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", night.Host.Scope.ConnectionString);
        Environment.SetEnvironmentVariable("Store__Schema", night.Host.Scope.Schema);
        try
        {
            var (code, json, err) = await Cli("suspects", "--json");
            Assert.True(code == 0, err);
            var direct = JsonSerializer.Deserialize<Paged<FindingSummary>>(json, ApiJson.Options)!;
            var viaHttp = await _http.GetOk<Paged<FindingSummary>>($"/api/findings?pageSize={Paging.MaxSize}");
            Assert.Equal(viaHttp.Items.Select(f => (f.FindingId, f.Status, f.Confidence)), direct.Items.Select(f => (f.FindingId, f.Status, f.Confidence)));

            var (explainCode, explain, _) = await Cli("explain", crowdstrike.FindingId, "--json");
            Assert.Equal(0, explainCode);
            Assert.Equal(crowdstrike.FindingId, JsonSerializer.Deserialize<FindingView>(explain, ApiJson.Options)!.Id);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ConnectionStrings__Marten", saved.Item1);
            Environment.SetEnvironmentVariable("Store__Schema", saved.Item2);
        }
    }
}
