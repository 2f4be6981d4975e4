using System.Net;
using Correlator.Api;
using Correlator.Findings;
using Correlator.Tests.Support;
using Marten;
using Marten.Events;
using Xunit.Abstractions;

namespace Correlator.Tests.Api;

/// <summary>Every API route against the July 2024 night, through a real host over HTTP.</summary>
[Collection(IntegrationCollection.Name)]
public partial class ApiEndToEndTests(JulyNight night, ITestOutputHelper output) : IClassFixture<JulyNight>
{
    private readonly HttpClient _http = night.Http;

    private async Task<FindingSummary> Finding(string updateId) =>
        Assert.Single((await _http.GetOk<Paged<FindingSummary>>("/api/findings")).Items, f => f.UpdateId == updateId);

    [Fact]
    public async Task Findings_lists_both_culprits_most_confident_then_most_crashes_first_with_counts_and_the_total()
    {
        var page = await _http.GetOk<Paged<FindingSummary>>("/api/findings");

        Assert.Equal(night.Report.Findings.Count, page.Total);
        Assert.Contains(page.Items, f => f.UpdateId == JulyNight.CrowdStrike && f.Signatures.Any(s => s.Signature == JulyNight.CsAgent));
        Assert.Contains(page.Items, f => f.UpdateId == JulyNight.AzureStorage);
        Assert.Equal(FindingSummary.Sort(page.Items).Select(f => f.FindingId), page.Items.Select(f => f.FindingId));
        // Both show confidence 1.00: CrowdStrike's 1,000-odd crashes rank above Azure's few dozen.
        Assert.Equal(JulyNight.CrowdStrike, page.Items[0].UpdateId);
        Assert.All(page.Items, f => Assert.Equal((f.Signatures.Sum(s => s.Crashes), f.Signatures.Sum(s => s.Hosts), f.Services.Count),
            (f.Crashes, f.Hosts, f.ServiceRegions)));
        var azure = page.Items.Single(f => f.UpdateId == JulyNight.AzureStorage);
        Assert.True(azure.ServiceRegions > 0);
        // Its crashes are Windows storage bugchecks and Linux hung tasks: the explanation names both.
        var linux = azure.Signatures.Where(x => x.Signature.StartsWith("linux-", StringComparison.Ordinal)).Sum(x => x.Crashes);
        Assert.True(linux > 0, "the Azure finding explains Linux crashes");
        Assert.Contains("Windows and Linux hosts", azure.Explanation);
        Assert.Contains($", {linux} on Linux;", azure.Explanation);
        Assert.All(page.Items, f => Assert.False(string.IsNullOrWhiteSpace(f.Explanation)));
    }

    [Fact]
    public async Task Findings_filter_by_vendor_confidence_time_and_status_and_page()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);

        var byVendor = await _http.GetOk<Paged<FindingSummary>>("/api/findings?vendor=crowdstrike");
        Assert.Equal([crowdstrike.FindingId], byVendor.Items.Select(f => f.FindingId));

        var detected = Uri.EscapeDataString(crowdstrike.DetectedAt.ToString("O"));
        var inRange = await _http.GetOk<Paged<FindingSummary>>($"/api/findings?from={detected}&to={detected}");
        Assert.Contains(inRange.Items, f => f.FindingId == crowdstrike.FindingId);
        var after = Uri.EscapeDataString(crowdstrike.DetectedAt.AddSeconds(1).ToString("O"));
        Assert.DoesNotContain((await _http.GetOk<Paged<FindingSummary>>($"/api/findings?from={after}")).Items, f => f.FindingId == crowdstrike.FindingId);

        var confident = await _http.GetOk<Paged<FindingSummary>>($"/api/findings?minConfidence={crowdstrike.Confidence}");
        Assert.All(confident.Items, f => Assert.True(f.Confidence >= crowdstrike.Confidence));
        Assert.Contains(confident.Items, f => f.FindingId == crowdstrike.FindingId);

        Assert.Equal(0, (await _http.GetOk<Paged<FindingSummary>>("/api/findings?status=dismissed")).Total);

        var first = await _http.GetOk<Paged<FindingSummary>>("/api/findings?pageSize=1&page=1");
        var second = await _http.GetOk<Paged<FindingSummary>>("/api/findings?pageSize=1&page=2");
        Assert.Single(first.Items);
        Assert.Single(second.Items);
        Assert.NotEqual(first.Items[0].FindingId, second.Items[0].FindingId);
        Assert.Equal(night.Report.Findings.Count, first.Total);
    }

    [Fact]
    public async Task Findings_as_of_an_event_time_show_what_the_engine_believed_then()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);

        var before = await _http.GetOk<Paged<FindingSummary>>($"/api/findings?asOf={Uri.EscapeDataString(crowdstrike.DetectedAt.AddSeconds(-1).ToString("O"))}");
        Assert.DoesNotContain(before.Items, f => f.UpdateId == JulyNight.CrowdStrike);

        var raised = await _http.GetOk<Paged<FindingSummary>>($"/api/findings?asOf={Uri.EscapeDataString(crowdstrike.DetectedAt.ToString("O"))}");
        var then = Assert.Single(raised.Items, f => f.UpdateId == JulyNight.CrowdStrike);
        Assert.Equal(crowdstrike.DetectedAt, then.DetectedAt);
        Assert.Equal(crowdstrike.DetectedAt, then.UpdatedAt);

        var view = await night.Host.Store.QuerySession().LoadAsync<FindingView>(crowdstrike.FindingId);
        var first = view!.History.First();
        Assert.Equal(first.Confidence, then.Confidence);

        var later = await _http.GetOk<Paged<FindingSummary>>("/api/findings?asOf=2030-01-01T00:00:00Z&vendor=CrowdStrike");
        Assert.Equal(crowdstrike.UpdatedAt, Assert.Single(later.Items).UpdatedAt);
    }

    [Theory]
    [InlineData("/api/findings?minConfidence=2", "minConfidence")]
    [InlineData("/api/findings?asOf=yesterday", "asOf")]
    [InlineData("/api/findings?pageSize=0", "pageSize")]
    [InlineData("/api/findings?status=maybe", "status")]
    [InlineData("/api/findings?from=2024-07-20T00:00:00Z&to=2024-07-19T00:00:00Z", "from")]
    [InlineData("/api/rejections?pageSize=501", "pageSize")]
    [InlineData("/api/findings?minConfidence=high", "minConfidence")]
    [InlineData("/api/rejections?page=abc", "page")]
    public async Task Bad_filters_are_400_problem_details_naming_the_parameter(string url, string parameter)
    {
        var problem = await (await _http.GetAsync(url)).Problem(HttpStatusCode.BadRequest);
        Assert.Contains(parameter, problem.Detail);
    }

    [Fact]
    public async Task A_finding_has_its_evidence_and_history_and_an_unknown_one_is_404()
    {
        var crowdstrike = await Finding(JulyNight.CrowdStrike);

        var view = await _http.GetOk<FindingView>($"/api/findings/{crowdstrike.FindingId}");

        Assert.Equal(crowdstrike.FindingId, view.Id);
        var evidence = Assert.Single(view.Current.Evidence.Signatures, s => s.Signature == JulyNight.CsAgent);
        Assert.True(evidence.ModuleMatch);
        Assert.True(evidence.Lift > 1);
        Assert.Equal("raised", view.History[0].Kind);
        Assert.Equal(view.DetectedAt, view.History[0].At);
        // The July night's recall at 05:27 fixed it: the history says so.
        Assert.Equal("resolved", view.Current.Status);
        var resolved = Assert.Single(view.History, h => h.Kind == "resolved");
        Assert.StartsWith("The recall fixed it: recalled 2024-07-19 05:27 UTC;", resolved.Reason);
        Assert.Null(view.History[0].Reason);

        var problem = await (await _http.GetAsync("/api/findings/F-0000000000")).Problem(HttpStatusCode.NotFound);
        Assert.Contains("F-0000000000", problem.Detail);
    }

    [Fact]
    public async Task An_update_shows_its_release_recall_exposure_failures_and_findings_by_raw_or_encoded_id()
    {
        var report = await _http.GetOk<UpdateReport>($"/api/updates/{JulyNight.CrowdStrike}");
        var encoded = await _http.GetOk<UpdateReport>($"/api/updates/{Uri.EscapeDataString(JulyNight.CrowdStrike)}");

        Assert.Equal(JulyNight.CrowdStrike, report.UpdateId);
        Assert.Equal(JulyNight.CrowdStrike, encoded.UpdateId);
        Assert.Equal("CrowdStrike", report.Release!.Vendor);
        Assert.Equal(DateTimeOffset.Parse("2024-07-19T04:09:00Z"), report.Release.ReleasedAt);
        Assert.NotNull(report.Recall);
        Assert.True(report.Recall!.RecalledAt > report.Release.ReleasedAt);
        Assert.Equal("targets", report.Exposure.Basis);
        Assert.Equal(["windows"], report.Release.Platforms);
        Assert.Equal(["csagent.sys"], report.Release.Affects);
        var csagent = report.Failures.Series.Where(s => s.Signature == JulyNight.CsAgent).ToList();
        Assert.NotEmpty(csagent);
        Assert.All(csagent, s => Assert.Equal(s.Crashes, s.PerMinute.Sum(m => m.Count)));
        Assert.All(csagent.SelectMany(s => s.PerMinute), m => Assert.True(m.At >= report.Release.ReleasedAt, "no csagent crash before the release"));
        var finding = await Finding(JulyNight.CrowdStrike);
        Assert.Equal(finding.Status, Assert.Single(report.Findings, f => f.FindingId == finding.FindingId).Status);

        await (await _http.GetAsync("/api/updates/nobody/nothing/1")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_host_timeline_shows_its_installations_and_crashes_in_event_time()
    {
        var signature = await _http.GetOk<SignatureReport>($"/api/signatures/{JulyNight.CsAgent}");
        var hostId = signature.HostIds[0];

        var host = await _http.GetOk<HostReport>($"/api/hosts/{hostId}");

        Assert.Equal(hostId, host.HostId);
        Assert.Equal("windows", host.Platform);
        var crash = host.Timeline.First(e => e.Kind == "crash" && e.Signature == JulyNight.CsAgent);
        Assert.True(crash.At >= DateTimeOffset.Parse("2024-07-19T04:09:00Z"));
        Assert.Contains(host.Timeline, e => e.Kind == "installation");
        foreach (var installed in host.Timeline.Where(e => e.Kind == "installation"))
        {
            var update = await _http.GetOk<UpdateReport>($"/api/updates/{installed.UpdateId}");
            Assert.Equal("installations", update.Exposure.Basis);
            Assert.Contains(update.Exposure.Hosts, h => h.HostId == hostId && h.InstalledAt == installed.At);
            Assert.Equal(update.Exposure.InstalledHosts, update.Exposure.InstallationsPerMinute.Sum(m => m.Count));
        }
        Assert.Equal(host.Crashes + host.Installations, host.Timeline.Count);
        Assert.Equal(host.Timeline.OrderBy(e => e.At).Select(e => e.At), host.Timeline.Select(e => e.At));

        await (await _http.GetAsync("/api/hosts/NO-SUCH-HOST")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_signature_history_counts_per_minute_and_hour()
    {
        var s = await _http.GetOk<SignatureReport>($"/api/signatures/{Uri.EscapeDataString(JulyNight.CsAgent)}");

        Assert.Equal(JulyNight.CsAgent, s.Signature);
        Assert.Equal("bugcheck 0x50 in csagent.sys", s.Description);
        Assert.Equal(s.Crashes, s.PerMinute.Sum(m => m.Count));
        Assert.Equal(s.Crashes, s.PerHour.Sum(m => m.Count));
        Assert.Equal(s.Crashes, s.Regions.Values.Sum());
        Assert.True(s.Hosts > 1 && s.Hosts <= s.Crashes);
        Assert.True(s.FirstSeen >= DateTimeOffset.Parse("2024-07-19T04:09:00Z") && s.LastSeen >= s.FirstSeen);

        await (await _http.GetAsync("/api/signatures/windows-kernel:0xdeadbeef:nothing.sys")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_service_status_history_shows_the_central_us_storage_outage()
    {
        var s = await _http.GetOk<ServiceReport>("/api/services/Azure%20Storage/centralus");

        Assert.Equal("Azure Storage", s.Service);
        Assert.Equal("centralus", s.Region);
        Assert.Contains(s.Changes, c => c.Status != "operational");
        Assert.True(s.Observations.Count >= s.Changes.Count);
        Assert.All(s.Changes.Zip(s.Changes.Skip(1)), p => Assert.NotEqual(p.First.Status, p.Second.Status));

        await (await _http.GetAsync("/api/services/Azure%20Storage/atlantis")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rejections_list_every_refused_message_with_its_coordinates_paged()
    {
        var all = await _http.GetOk<Paged<RejectedMessage>>("/api/rejections?pageSize=500");
        Assert.Equal(night.Report.Rejected, all.Total);
        Assert.All(all.Items, r => Assert.False(string.IsNullOrEmpty(r.Reason)));
        Assert.Equal(all.Items.OrderByDescending(r => r.ReceivedAt).Select(r => r.ReceivedAt), all.Items.Select(r => r.ReceivedAt));

        var one = await _http.GetOk<Paged<RejectedMessage>>("/api/rejections?pageSize=1&page=2");
        Assert.Equal(all.Items[1].Id, Assert.Single(one.Items).Id);
        var topic = all.Items[0].Topic;
        var byTopic = await _http.GetOk<Paged<RejectedMessage>>($"/api/rejections?topic={Uri.EscapeDataString(topic)}");
        Assert.All(byTopic.Items, r => Assert.Equal(topic, r.Topic));
    }

    [Fact]
    public async Task Confirming_a_finding_appends_feedback_and_the_engine_confirms_it()
    {
        var storage = await Finding(JulyNight.AzureStorage);

        using var response = await _http.PostNote($"/api/findings/{storage.FindingId}/confirm", "storage config rolled back");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/findings/{storage.FindingId}", response.Headers.Location?.OriginalString);
        await night.Host.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        await night.Host.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var view = await _http.GetOk<FindingView>($"/api/findings/{storage.FindingId}");
        Assert.Equal("confirmed", view.Current.Status);
        Assert.Contains(view.History, h => h.Kind == "feedback:confirm" && h.Note == "storage config rolled back");
        Assert.Contains(view.History, h => h.Kind == "confirmed" && h.Reason == "Confirmed by SRE feedback: storage config rolled back");

        await (await _http.PostNote("/api/findings/F-0000000000/dismiss", "x")).Problem(HttpStatusCode.NotFound);
        await (await _http.PostNote("/api/findings/host%2FWIN-1/resolve", "x")).Problem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApi_describes_every_route_and_scalar_serves_the_reference()
    {
        var doc = await _http.GetStringAsync("/openapi/v1.json");
        foreach (var route in new[] { "/api/findings", "/api/findings/{id}", "/api/updates/{updateId}", "/api/hosts/{hostId}",
                     "/api/signatures/{signature}", "/api/services/{service}/{region}", "/api/rejections", "/api/findings/{id}/confirm",
                     "/api/findings/{id}/dismiss", "/api/findings/{id}/resolve" })
            Assert.Contains($"\"{route}\"", doc);

        using var scalar = await _http.GetAsync("/scalar");
        Assert.Equal(HttpStatusCode.OK, scalar.StatusCode);
        Assert.Contains("text/html", scalar.Content.Headers.ContentType?.MediaType);
    }
}
