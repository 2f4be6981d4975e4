using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Correlator.Hosting;

/// <summary>
/// The HTTP server of a host that must not listen (<c>demo --no-serve</c>): it accepts the application and binds no
/// socket. Ingestion, correlation, the projections and alerts run as in <c>serve</c>; only the API is unreachable.
/// </summary>
internal sealed class NoServer : IServer
{
    public IFeatureCollection Features { get; } = Create();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
        Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() { }

    private static FeatureCollection Create()
    {
        var features = new FeatureCollection();
        features.Set<IServerAddressesFeature>(new ServerAddressesFeature());
        return features;
    }
}
