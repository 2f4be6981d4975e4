using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Correlator.Embedded;

/// <summary>
/// A throw-away (or, with a data directory, persistent) PostgreSQL cluster started from the installed binaries,
/// on a free loopback port. A watchdog shell stops the server when this process goes away, even when it is
/// killed, so no postgres process outlives its owner.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly Process _process;
    private readonly string _dataDirectory;
    private readonly bool _temporary;

    public string ConnectionString { get; }
    public int Port { get; }
    public string DataDirectory => _dataDirectory;

    private EmbeddedPostgres(Process process, string dataDirectory, bool temporary, int port)
    {
        _process = process;
        _dataDirectory = dataDirectory;
        _temporary = temporary;
        Port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50;Include Error Detail=true";
    }

    /// <param name="dataDirectory">Keep the cluster here across runs; null for a temporary one removed on dispose.</param>
    /// <param name="durable">False relaxes fsync and friends: for tests and benchmarks only.</param>
    /// <param name="port">Listen here instead of on a free port (to restart a kept cluster where its clients expect it).</param>
    public static async Task<EmbeddedPostgres> StartAsync(string? dataDirectory = null, bool durable = false, string? binDirectory = null, CancellationToken ct = default, int? port = null)
    {
        var bin = binDirectory ?? Environment.GetEnvironmentVariable("CORRELATOR_PG_BIN") ?? DefaultBinDirectory;
        foreach (var tool in new[] { "initdb", "postgres" })
            if (!File.Exists(Path.Combine(bin, tool)))
                throw new InvalidOperationException(
                    $"PostgreSQL 15 server binaries not found: {Path.Combine(bin, tool)} is missing. " +
                    "Install them with `apt-get install postgresql-15` (or `apt-get install postgresql`), " +
                    "set CORRELATOR_PG_BIN to their folder, or configure ConnectionStrings:Marten to use an existing server.");

        var temporary = dataDirectory is null;
        var dir = Path.GetFullPath(dataDirectory ?? Path.Combine(Path.GetTempPath(), "correlator-pg-" + Guid.NewGuid().ToString("N")[..12]));
        var asPostgres = Environment.UserName == "root";
        Directory.CreateDirectory(dir);
        if (asPostgres) await RunAsync("chown", ["-R", "postgres:postgres", dir], false, ct);

        if (!File.Exists(Path.Combine(dir, "PG_VERSION")))
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], asPostgres, ct);

        for (var attempt = 0; ; attempt++)
        {
            var listen = port ?? FreePort();
            var settings = new List<string>
            {
                "-D", dir, "-p", listen.ToString(), "-k", dir, "-c", "listen_addresses=127.0.0.1",
                "-c", "max_connections=200", "-c", "shared_buffers=256MB", "-c", "work_mem=32MB", "-c", "logging_collector=off",
                // The embedded server shares its machine with the service: parallel query workers take cores from the
                // service rather than adding any (a rebuild page of finding events started two workers and a hash of
                // every stream; FindingView's rebuild went 1.0–1.6 s → 0.6–0.7 s without them).
                "-c", "max_parallel_workers_per_gather=0",
                // Its data lives in memory and on SSD, where a random page costs about what a sequential one does. At the
                // default of 4 a rebuild page of finding events hashed every stream instead of looking up its 5,000:
                // 370–470 ms a page instead of 80–110 ms.
                "-c", "random_page_cost=1.1",
            };
            if (!durable) settings.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
            var process = StartWatched(Path.Combine(bin, "postgres"), settings, Path.Combine(dir, "postgres.log"), asPostgres);
            var server = new EmbeddedPostgres(process, dir, temporary, listen);
            try
            {
                await server.WaitUntilReadyAsync(ct);
                return server;
            }
            catch (Exception) when (attempt < 2 && process.HasExited && port is null)
            {
                // Most likely the port was taken between probing and binding; try another.
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Creates the database if it does not exist and returns a connection string for it.</summary>
    public async Task<string> EnsureDatabaseAsync(string name, CancellationToken ct = default)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @n", conn);
        exists.Parameters.AddWithValue("n", name);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{name.Replace("\"", "\"\"")}\"", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"postgres exited with code {_process.ExitCode} before accepting connections: {LogTail()}");
            try
            {
                await using var conn = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=2");
                await conn.OpenAsync(ct);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                last = e;
                await Task.Delay(100, ct);
            }
        }
        throw new TimeoutException($"postgres on port {Port} did not accept connections within 60 s", last);
    }

    private string LogTail()
    {
        var log = Path.Combine(_dataDirectory, "postgres.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(no log)";
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (!_process.HasExited)
        {
            // The watchdog turns stdin EOF into a fast shutdown of postgres and waits for it.
            try { _process.StandardInput.Close(); } catch (IOException) { }
            if (!await WaitForExitAsync(_process, TimeSpan.FromSeconds(30))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        if (_temporary)
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static async Task<bool> WaitForExitAsync(Process p, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await p.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    // postgres runs under a small shell that stops it (SIGINT: fast shutdown) when its owner dies or closes stdin.
    private const string Watchdog = """
        owner=$1; log=$2; shift 2
        "$@" >>"$log" 2>&1 &
        pg=$!
        ( while [ -d /proc/$owner ] && kill -0 $pg 2>/dev/null; do sleep 0.5; done; kill -INT $pg 2>/dev/null ) &
        dog=$!
        cat >/dev/null
        kill -INT $pg 2>/dev/null
        wait $pg
        kill $dog 2>/dev/null
        """;

    private static Process StartWatched(string exe, IReadOnlyList<string> args, string logFile, bool asPostgres)
    {
        var psi = Command(asPostgres, "bash", ["-c", Watchdog, "watchdog", Environment.ProcessId.ToString(), logFile, exe, .. args]);
        psi.RedirectStandardInput = true;
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start postgres");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunAsync(string exe, IReadOnlyList<string> args, bool asPostgres, CancellationToken ct)
    {
        using var p = Process.Start(Command(asPostgres, exe, args)) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(exe)} failed ({p.ExitCode}): {await stderr}{await stdout}");
    }

    private static ProcessStartInfo Command(bool asPostgres, string exe, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres) foreach (var a in new[] { "-u", "postgres", "--", exe }) psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
