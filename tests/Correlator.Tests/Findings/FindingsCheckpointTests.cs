using System.Text.Json;
using Correlator.Findings;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Replay;
using Correlator.Tests.Support;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Correlator.Tests.Findings;

/// <summary>
/// Restart of the findings subscription on the real store: the July night imported in two halves (the first ends in
/// the middle of the burst, findings open), the service stopped between them. Restarted from its checkpoint, from a
/// checkpoint older than its last page, from a corrupt one and from one of another version (both ignored: a full replay), it stores exactly the transitions of the
/// run that never stopped, each once.
/// </summary>
[Collection(IntegrationCollection.Name)]
public class FindingsCheckpointTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_restart_from_a_checkpoint_a_corrupt_one_or_an_old_one_stores_the_transitions_of_the_uninterrupted_run_once()
    {
        var (first, second) = SplitMidBurst(Corpus.Path("july-2024-small.ndjson"));
        try
        {
            var uninterrupted = await RunAsync(first, second, restart: null);
            Assert.Contains(uninterrupted.Transitions, t => t.Kind == "raised");

            var fromCheckpoint = await RunAsync(first, second, restart: _ => Task.CompletedTask);
            Assert.NotNull(fromCheckpoint.Restore.CheckpointSequence);
            Assert.Null(fromCheckpoint.Restore.Ignored);
            Assert.True(fromCheckpoint.Restore.FactsReplayed < fromCheckpoint.FactsBeforeRestart / 4,
                $"replayed {fromCheckpoint.Restore.FactsReplayed} of {fromCheckpoint.FactsBeforeRestart} facts");

            // The newest checkpoint lost: the one before it, and the facts after it replayed.
            var older = await RunAsync(first, second, restart: c => Sql(c, "delete from {0} where sequence = (select max(sequence) from {0})"));
            Assert.NotNull(older.Restore.CheckpointSequence);
            Assert.InRange(older.Restore.FactsReplayed, 1, older.FactsBeforeRestart - 1);

            var corrupt = await RunAsync(first, second, restart: c => Sql(c, "update {0} set state = decode('78da0102', 'hex')"));
            Assert.Null(corrupt.Restore.CheckpointSequence);
            Assert.Contains("unreadable snapshot", corrupt.Restore.Ignored);
            Assert.Equal(corrupt.FactsBeforeRestart, corrupt.Restore.FactsReplayed);

            var old = await RunAsync(first, second, restart: c => Sql(c, "update {0} set format = 'v0;windowed;0000000000000000'"));
            Assert.Null(old.Restore.CheckpointSequence);
            Assert.Contains("format v0", old.Restore.Ignored);

            foreach (var run in new[] { uninterrupted, fromCheckpoint, older, corrupt, old })
            {
                // Each finding's transitions are 0…n-1, each stored once.
                foreach (var stream in run.Transitions.GroupBy(t => t.Stream))
                    Assert.Equal(Enumerable.Range(0, stream.Count()), stream.Select(t => t.Index).Order());
                Assert.Equal(Json(uninterrupted.Transitions), Json(run.Transitions));
            }
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }

    private sealed record Transition(string Stream, int Index, string Kind, DateTimeOffset At, string? Reason, string Finding);

    private sealed record Run(List<Transition> Transitions, long FactsBeforeRestart, FindingsSubscription.RestoreReport Restore);

    /// <summary>Imports both halves; with <paramref name="restart"/> the service stops after the first and starts again.</summary>
    private static async Task<Run> RunAsync(string first, string second, Func<TestScope, Task>? restart)
    {
        var scope = (await TestServices.Instance).NewScope();
        var settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            // Every 10 minutes of event time, so the newest checkpoint is well inside the burst.
            ["Findings:CheckpointEvery"] = "00:10:00",
            ["Findings:CheckpointsKept"] = "3",
            ["Findings:CheckpointMinInterval"] = "00:00:00",
        };
        var host = await ServiceHost.StartAsync(scope, settings);
        try
        {
            await ImportAsync(host, first);
            long facts = 0;
            if (restart is not null)
            {
                await using (var session = host.Store.QuerySession())
                    facts = await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(FindingsSubscription.FactTypes)).CountAsync();
                await host.DisposeAsync();
                Assert.True(await CheckpointsAsync(scope) > 0, "no checkpoint was written");
                await restart(scope);
                host = await ServiceHost.StartAsync(scope, settings);
            }
            await ImportAsync(host, second);
            var subscription = host.Get<FindingsSubscription>();
            var report = restart is null ? new FindingsSubscription.RestoreReport(0, null, 0, 0, null)
                : subscription.LastRestore ?? throw new InvalidOperationException("the subscription did not restore");
            await using var query = host.Store.QuerySession();
            var stored = await query.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(FindingTransitions.Types)).ToListAsync();
            var transitions = stored.Select(e => (e.StreamKey!, (IFindingTransition)e.Data))
                .Select(x => new Transition(x.Item1, x.Item2.Transition, FindingTransitions.KindOf(x.Item2), x.Item2.At, x.Item2.Reason,
                    JsonSerializer.Serialize(x.Item2.Finding)))
                .OrderBy(t => t.Stream, StringComparer.Ordinal).ThenBy(t => t.Index).ToList();
            return new Run(transitions, facts, report);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    private static async Task ImportAsync(ServiceHost host, string file)
    {
        var import = new HistoryImport(host.Store, host.Get<MessageValidator>(), host.Get<IOptions<IngestionOptions>>().Value,
            host.Get<IOptions<KafkaOptions>>().Value.Topics, TimeProvider.System);
        await import.ImportAsync(file);
        await host.Store.WaitForNonStaleProjectionDataAsync(Limit);
        await host.Store.WaitForNonStaleProjectionDataAsync(Limit);
    }

    private static async Task<long> CheckpointsAsync(TestScope scope)
    {
        await using var conn = new NpgsqlConnection(scope.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select count(*) from {scope.Schema}.{FindingsCheckpoints.TableName}", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task Sql(TestScope scope, string sql)
    {
        await using var conn = new NpgsqlConnection(scope.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(string.Format(sql, $"{scope.Schema}.{FindingsCheckpoints.TableName}"), conn);
        Assert.True(await cmd.ExecuteNonQueryAsync() > 0);
    }

    /// <summary>The scenario cut after the middle failure of the burst (csagent.sys crashes).</summary>
    private static (string First, string Second) SplitMidBurst(string scenario)
    {
        var lines = File.ReadAllLines(scenario);
        var burst = lines.Select((l, i) => (l, i)).Where(x => x.l.Contains("\"crash-dumps\"") && x.l.Contains("csagent")).Select(x => x.i).ToList();
        var cut = burst[burst.Count / 2] + 1;
        var first = Path.Combine(Path.GetTempPath(), $"restart-{Guid.NewGuid():N}.1.ndjson");
        var second = Path.ChangeExtension(first, null)[..^2] + ".2.ndjson";
        File.WriteAllLines(first, lines[..cut]);
        File.WriteAllLines(second, lines[cut..]);
        return (first, second);
    }

    private static string Json(List<Transition> t) => JsonSerializer.Serialize(t);
}
