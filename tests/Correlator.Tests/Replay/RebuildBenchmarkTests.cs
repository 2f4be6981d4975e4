using Correlator.Replay;
using Correlator.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Tests.Replay;

/// <summary>`bench rebuild` runs outside CI at 1M events; this keeps its code path working on a small history.</summary>
[Collection(IntegrationCollection.Name)]
public class RebuildBenchmarkTests
{
    [Fact]
    public async Task A_small_mixed_history_is_generated_rebuilt_and_measured()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var offline = OfflineStore.Open(scope.Configuration());
        await offline.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var result = await RebuildBenchmark.RunAsync(offline.Store, 3_000, RebuildBenchmark.History.Mixed, NullLogger.Instance, null, null);

        Assert.Equal(3_000, result.Events);
        Assert.Equal(3_000, result.EventTypes.Values.Sum());
        foreach (var type in new[] { "crash_reported", "update_installed", "update_released", "service_status_observed", "finding_raised", "finding_updated" })
            Assert.True(result.EventTypes.GetValueOrDefault(type) > 0, type);
        Assert.Equal(ProjectionRebuild.ProjectionNames(offline.Store), result.Projections);
        Assert.Equal(result.Projections.Order(StringComparer.Ordinal), result.ProjectionSeconds.Keys.Order(StringComparer.Ordinal));
        Assert.True(result.RebuildSeconds > 0 && result.RebuildEventsPerSecond > 0 && result.ReadOnlyEventsPerSecond > 0);
        Assert.True(result.RebuildServiceCpuSeconds > 0, "no service CPU measured");
        // The tests' PostgreSQL runs on this machine (an embedded server unless one is configured), so its CPU shows.
        if (new Npgsql.NpgsqlConnectionStringBuilder(scope.ConnectionString).Host is "127.0.0.1" or "localhost")
            Assert.True(result.RebuildPostgresCpuSeconds > 0, "no PostgreSQL CPU measured");
        Assert.True(result.PeakRssBytes > 0);
    }
}
