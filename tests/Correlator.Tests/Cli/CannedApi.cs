using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Cli;

/// <summary>
/// A real HTTP server on loopback (Kestrel, port 0) that answers each GET path with a fixed status and JSON body, so
/// a CLI command can be run through its real HTTP client against answers no scenario produces; 404 for other paths.
/// </summary>
public sealed class CannedApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string Url { get; }

    private CannedApi(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public static async Task<CannedApi> StartAsync(IReadOnlyDictionary<string, (int Status, string Json)> answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/{**path}", (HttpContext ctx) =>
            answers.TryGetValue(ctx.Request.Path.Value!, out var a)
                ? Results.Text(a.Json, "application/json", statusCode: a.Status)
                : Results.NotFound());
        await app.StartAsync();
        return new CannedApi(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
