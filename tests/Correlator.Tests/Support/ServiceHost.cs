using Correlator.Hosting;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Support;

/// <summary>A running Correlator host pointed at one <see cref="TestScope"/>.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public WebApplication App { get; }
    public TestScope Scope { get; }

    private ServiceHost(WebApplication app, TestScope scope)
    {
        App = app;
        Scope = scope;
    }

    public static async Task<ServiceHost> StartAsync(TestScope scope, IDictionary<string, string?>? overrides = null)
    {
        var settings = scope.Configuration();
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) settings[k] = v;
        var app = CorrelatorHost.Build(settings, logLevel: LogLevel.Warning);
        await app.StartAsync();
        return new ServiceHost(app, scope);
    }

    /// <summary>The address Kestrel bound (tests listen on a free loopback port).</summary>
    public Uri BaseAddress => new(App.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public HttpClient Client(string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null) client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public IDocumentStore Store => App.Services.GetRequiredService<IDocumentStore>();
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
