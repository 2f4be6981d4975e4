using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Correlator.Tests.Api;
using Correlator.Tests.Support;

namespace Correlator.Tests.Rollouts;

/// <summary>The gate routes need a reader key like every read route; Flagger's, from the URL's user info (Basic).</summary>
[Collection(IntegrationCollection.Name)]
public class RolloutAuthTests(KeyedHost keyed) : IClassFixture<KeyedHost>
{
    private static readonly object Flagger = new { name = "app", @namespace = "prod", phase = "Progressing", checksum = "1", metadata = new Dictionary<string, string>() };

    [Fact]
    public async Task Without_a_key_every_rollout_route_is_401()
    {
        using var http = keyed.Host.Client();
        await (await http.GetAsync("/api/rollouts/a%2Fb/gate")).Problem(HttpStatusCode.Unauthorized);
        await (await http.PostAsJsonAsync("/api/rollouts/a%2Fb/gate", Flagger)).Problem(HttpStatusCode.Unauthorized);
        await (await http.GetAsync("/api/findings/F-1/blast-radius")).Problem(HttpStatusCode.Unauthorized);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("gate:wrong-key")));
        await (await http.PostAsJsonAsync("/api/rollouts/a%2Fb/gate", Flagger)).Problem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_reader_key_as_basic_user_info_or_header_reaches_the_gate()
    {
        using var basic = keyed.Host.Client();
        basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"gate:{KeyedHost.ReaderKey}")));
        var problem = await (await basic.PostAsJsonAsync("/api/rollouts/a%2Fb/gate", Flagger)).Problem(HttpStatusCode.NotFound);
        Assert.Contains("a/b", problem.Detail);

        using var header = keyed.Host.Client(KeyedHost.ReaderKey);
        await (await header.GetAsync("/api/rollouts/a%2Fb/gate")).Problem(HttpStatusCode.NotFound);
        await (await header.GetAsync("/api/findings/F-1/blast-radius")).Problem(HttpStatusCode.NotFound);
    }
}
