using System.Diagnostics;
using Correlator.Embedded;
using Npgsql;

namespace Correlator.Tests.Embedded;

[Collection(Support.IntegrationCollection.Name)]
public class EmbeddedPostgresTests
{
    [Fact]
    public async Task Starts_answers_and_stops_without_leaving_a_process()
    {
        var pg = await EmbeddedPostgres.StartAsync();
        var dir = pg.DataDirectory;
        await using (var conn = new NpgsqlConnection(pg.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("select current_setting('server_version_num')::int", conn);
            Assert.True((int)(await cmd.ExecuteScalarAsync())! >= 150000);
        }
        Assert.NotEmpty(PostgresProcessesFor(dir));

        await pg.DisposeAsync();

        // The watchdog's helper subshell may take a moment to notice; postgres itself is gone when dispose returns.
        for (var i = 0; i < 20 && PostgresProcessesFor(dir).Count > 0; i++) await Task.Delay(100);
        Assert.Empty(PostgresProcessesFor(dir));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public async Task Two_clusters_side_by_side_do_not_collide()
    {
        await using var a = await EmbeddedPostgres.StartAsync();
        await using var b = await EmbeddedPostgres.StartAsync();
        Assert.NotEqual(a.Port, b.Port);
        Assert.NotEqual(a.DataDirectory, b.DataDirectory);

        await Exec(a.ConnectionString, "create table only_in_a(x int)");
        await Exec(b.ConnectionString, "create table only_in_b(x int)");
        Assert.Equal(1L, await Scalar(a.ConnectionString, "select count(*) from pg_tables where tablename = 'only_in_a'"));
        Assert.Equal(0L, await Scalar(b.ConnectionString, "select count(*) from pg_tables where tablename = 'only_in_a'"));
    }

    [Fact]
    public async Task A_kept_data_directory_survives_a_restart()
    {
        var dir = Path.Combine(Path.GetTempPath(), "correlator-kept-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using (var first = await EmbeddedPostgres.StartAsync(dir))
                await Exec(await first.EnsureDatabaseAsync("kept"), "create table remembered(x int); insert into remembered values (42)");
            await using var second = await EmbeddedPostgres.StartAsync(dir);
            Assert.Equal(42L, await Scalar(await second.EnsureDatabaseAsync("kept"), "select x::bigint from remembered"));
        }
        finally
        {
            Assert.Empty(PostgresProcessesFor(dir));
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Missing_binaries_give_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedPostgres.StartAsync(binDirectory: "/nonexistent/pg/bin"));
        Assert.Contains("/nonexistent/pg/bin/initdb", e.Message);
        Assert.Contains("apt-get install", e.Message);
    }

    private static IReadOnlyList<int> PostgresProcessesFor(string dataDirectory) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0)
            .Where(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(dataDirectory); }
                catch (IOException) { return false; }
                catch (UnauthorizedAccessException) { return false; }
            })
            .ToList();

    private static async Task Exec(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
