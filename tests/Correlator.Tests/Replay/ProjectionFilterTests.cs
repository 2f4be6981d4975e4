using Correlator.Hosting;
using Correlator.Tests.Support;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Replay;

/// <summary>
/// Every async projection must tell the daemon which event types it reads. One handler taking an interface (or an
/// abstract type) turns the filter off, and a rebuild then reads and deserializes every event in the store: that is
/// how a helper named <c>Apply(FindingView, IFindingTransition)</c> once made the FindingView rebuild ten times slower.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class ProjectionFilterTests
{
    [Fact]
    public async Task Every_async_projection_reads_only_the_concrete_event_types_it_handles()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var app = CorrelatorHost.Build(scope.Configuration(), logLevel: LogLevel.Warning);
        var options = (Marten.StoreOptions)app.Services.GetRequiredService<IDocumentStore>().Options;

        var projections = options.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Async).ToList();

        Assert.Contains(projections, p => p.Name == "FindingView");
        Assert.All(projections, p =>
        {
            var filterable = Assert.IsAssignableFrom<EventFilterable>(p);
            Assert.NotEmpty(filterable.IncludedEventTypes);
            Assert.All(filterable.IncludedEventTypes, t => Assert.False(t.IsInterface || t.IsAbstract || t == typeof(object),
                $"{p.Name} handles {t.Name}, which turns off its event-type filter"));
        });
    }
}
