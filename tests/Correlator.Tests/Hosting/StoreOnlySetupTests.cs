using Correlator.Hosting;
using Correlator.Replay;
using Correlator.Tests.Support;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Correlator.Tests.Hosting;

/// <summary>The offline commands' store: the service's projections, and no broker, Wolverine runtime or HTTP server.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class StoreOnlySetupTests
{
    [Fact]
    public async Task The_offline_store_has_every_projection_and_starts_no_broker_wolverine_or_listener()
    {
        var scope = (await TestServices.Instance).NewScope();
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marten"] = scope.ConnectionString,
            ["Store:Schema"] = scope.Schema,
        }).Build();

        await using var offline = await OfflineStore.OpenAsync(config, dataDirectory: null, NullLogger.Instance, CancellationToken.None);

        // The same projections as the service (built, never started), and so the same rebuild.
        await using var service = CorrelatorHost.Build(scope.Configuration());
        var expected = ProjectionRebuild.ProjectionNames(service.Services.GetRequiredService<IDocumentStore>());
        Assert.Equal(["Correlator.Api.RejectionListProjection", "FindingView", "FleetHost", "SignatureDay", "UpdateImpact"], expected);
        Assert.Equal(expected, ProjectionRebuild.ProjectionNames(offline.Store));
        Assert.True(string.IsNullOrEmpty(offline.Get<IOptions<KafkaOptions>>().Value.BootstrapServers), "no broker was started or configured");
        Assert.Null(offline.App.Services.GetService<IMessageBus>());
        Assert.Null(offline.App.Services.GetService<IServer>());
        await using var session = offline.Store.QuerySession();
        Assert.Equal(0, await session.Events.QueryAllRawEvents().LongCountAsync());
    }
}
