using System.CommandLine;
using Correlator.Cli;

namespace Correlator.Tests.Cli;

/// <summary><c>suspects</c> shows six explained failures per finding and says how many it hid; <c>--all</c> shows them all.</summary>
public sealed class SuspectsCommandTests
{
    private static string Finding(string id, int signatures) => $$"""
        {"findingId":"{{id}}","status":"suspected","updateId":"U-{{id}}","vendor":"Acme","product":"Agent","version":"1.0",
         "confidence":0.97,"explanation":"e","firstFailureAt":"2024-07-19T04:09:00Z","detectedAt":"2024-07-19T04:10:00Z",
         "updatedAt":"2024-07-19T04:10:00Z","services":[],
         "signatures":[{{string.Join(",", Enumerable.Range(1, signatures).Select(i => $$"""{"signature":"SIG-{{id}}-{{i}}","crashes":{{i}},"hosts":{{i}}}"""))}}]}
        """;

    private static async Task<(int Code, string Out, string Err)> Suspects(string url, params string[] extra)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await new RootCommand { SuspectsCommand.Create() }.Parse(["suspects", "--url", url, .. extra])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Explained_failures_past_six_are_counted_in_a_line_and_all_shows_them()
    {
        var page = $$"""{"items":[{{Finding("F-1", 9)}},{{Finding("F-2", 7)}},{{Finding("F-3", 2)}}],"total":3,"page":1,"pageSize":500}""";
        await using var api = await CannedApi.StartAsync(new Dictionary<string, (int, string)> { ["/api/findings"] = (200, page) });

        var (code, table, err) = await Suspects(api.Url);
        Assert.True(code == 0, err);
        Assert.Contains("SIG-F-1-6 ", table);
        Assert.DoesNotContain("SIG-F-1-7 ", table);
        Assert.Contains("… 3 more", table);
        Assert.DoesNotContain("SIG-F-2-7 ", table);
        Assert.Contains("… 1 more", table);
        Assert.Contains("SIG-F-3-2 ", table);
        Assert.Contains("… 4 more explained failures hidden (--all to show)", table);

        var (allCode, everything, allErr) = await Suspects(api.Url, "--all");
        Assert.True(allCode == 0, allErr);
        Assert.Contains("SIG-F-1-9 ", everything);
        Assert.Contains("SIG-F-2-7 ", everything);
        Assert.DoesNotContain("more", everything);
    }

    [Fact]
    public async Task Six_or_fewer_explained_failures_print_no_hidden_line()
    {
        var page = $$"""{"items":[{{Finding("F-1", 6)}}],"total":1,"page":1,"pageSize":500}""";
        await using var api = await CannedApi.StartAsync(new Dictionary<string, (int, string)> { ["/api/findings"] = (200, page) });

        var (code, table, err) = await Suspects(api.Url);
        Assert.True(code == 0, err);
        Assert.Contains("SIG-F-1-6 ", table);
        Assert.DoesNotContain("hidden", table);
    }
}
