using System.Net;
using System.Net.Http.Headers;
using Correlator.Api;
using Correlator.Tests.Support;

namespace Correlator.Tests.Api;

/// <summary>A host with two API keys (stored as SHA-256 hashes) and no open access.</summary>
public sealed class KeyedHost : IAsyncLifetime
{
    public const string ReaderKey = "reader-key-7f3a";
    public const string OperatorKey = "operator-key-91bc";

    public ServiceHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var scope = (await TestServices.Instance).NewScope(partitions: 1);
        Host = await ServiceHost.StartAsync(scope, new Dictionary<string, string?>
        {
            ["Api:Keys:0:Name"] = "dashboards",
            ["Api:Keys:0:Role"] = ApiRoles.Reader,
            ["Api:Keys:0:Sha256"] = ApiKeyAuthentication.HashOf(ReaderKey),
            ["Api:Keys:1:Name"] = "on-call",
            ["Api:Keys:1:Role"] = ApiRoles.Operator,
            ["Api:Keys:1:Sha256"] = ApiKeyAuthentication.HashOf(OperatorKey).ToUpperInvariant(),
        });
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[Collection(IntegrationCollection.Name)]
public partial class ApiAuthTests(KeyedHost keyed) : IClassFixture<KeyedHost>
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Queries_without_a_known_key_are_401(string? key)
    {
        using var http = keyed.Host.Client(key);
        foreach (var url in new[] { "/api/findings", "/api/rejections", "/api/findings/F-1", "/api/updates/a/b", "/api/hosts/h", "/api/signatures/s", "/api/services/s/r" })
            await (await http.GetAsync(url)).Problem(HttpStatusCode.Unauthorized);
        await (await http.PostNote("/api/findings/F-1/confirm", "x")).Problem(HttpStatusCode.Unauthorized);
    }

    /// <summary>Read from the served OpenAPI document, so routes added later are covered without touching this test.</summary>
    [Fact]
    public async Task Every_route_in_the_openapi_document_is_401_without_a_key()
    {
        using var http = keyed.Host.Client();
        var doc = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        var checkedRoutes = new List<string>();
        foreach (var (path, item) in doc["paths"]!.AsObject())
        foreach (var (method, _) in item!.AsObject())
        {
            if (method is "parameters" or "summary" or "description" or "servers") continue;
            var url = System.Text.RegularExpressions.Regex.Replace(path, @"\{[^}]+\}", "x");
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
            if (method is "post" or "put" or "patch") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method.ToUpperInvariant()} {path} answered {(int)response.StatusCode} without a key");
            checkedRoutes.Add($"{method} {path}");
        }
        Assert.Contains("get /api/alerts/dead-letters", checkedRoutes);
        Assert.Contains("post /api/findings/{id}/confirm", checkedRoutes);
    }

    [Theory]
    [InlineData("/api/findings?page=2147483647")]
    [InlineData("/api/findings?page=5000000&pageSize=500")]
    [InlineData("/api/findings?asOf=2024-07-19T05:00:00Z&page=5000000&pageSize=500")]
    [InlineData("/api/rejections?page=2147483647")]
    public async Task A_page_beyond_what_an_offset_can_hold_is_400(string url)
    {
        using var http = keyed.Host.Client(KeyedHost.ReaderKey);
        var problem = await (await http.GetAsync(url)).Problem(HttpStatusCode.BadRequest);
        Assert.Contains("page must be at most", System.Text.Json.JsonSerializer.Serialize(problem));
    }

    [Fact]
    public async Task A_reader_key_queries_by_header_or_bearer_but_may_not_give_feedback()
    {
        using var http = keyed.Host.Client(KeyedHost.ReaderKey);
        Assert.Equal(0, (await http.GetOk<Paged<FindingSummary>>("/api/findings")).Total);
        await (await http.GetAsync("/api/findings/F-1")).Problem(HttpStatusCode.NotFound);

        using var bearer = keyed.Host.Client();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyedHost.ReaderKey);
        Assert.Equal(0, (await bearer.GetOk<Paged<RejectedMessage>>("/api/rejections")).Total);

        foreach (var action in new[] { "confirm", "dismiss", "resolve" })
            await (await http.PostNote($"/api/findings/F-1/{action}", "x")).Problem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_operator_key_reaches_the_feedback_routes()
    {
        using var http = keyed.Host.Client(KeyedHost.OperatorKey);
        await (await http.PostNote("/api/findings/F-1/confirm", "x")).Problem(HttpStatusCode.NotFound);
        Assert.Equal(0, (await http.GetOk<Paged<FindingSummary>>("/api/findings")).Total);
    }

    [Theory]
    [InlineData("""{"note":"a\u0000b"}""")]
    [InlineData("""{"note":"\uD800"}""")]
    [InlineData(null)]
    public async Task A_note_the_store_cannot_hold_or_too_long_is_400(string? body)
    {
        using var http = keyed.Host.Client(KeyedHost.OperatorKey);
        body ??= $$"""{"note":"{{new string('n', PostFindingFeedback.MaxNoteLength + 1)}}"}""";
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await (await http.PostAsync("/api/findings/F-1/confirm", content)).Problem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_page_sends_security_headers()
    {
        using var http = keyed.Host.Client();
        using var response = await http.GetAsync("/");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
    }

    [Fact]
    public async Task The_page_and_the_api_reference_need_no_key()
    {
        using var http = keyed.Host.Client();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/scalar")).StatusCode);
    }
}
