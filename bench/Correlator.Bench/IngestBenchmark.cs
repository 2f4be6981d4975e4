using System.Diagnostics;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Correlator.Hosting;
using Correlator.Ingestion;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Correlator.Bench;

/// <summary>
/// End-to-end ingestion rate (consume → validate → append → commit; producing excluded) against, in the same run
/// on the same machine, a binary COPY of equivalent rows into a plain table: the floor of what PostgreSQL can take.
/// </summary>
public static class IngestBenchmark
{
    public sealed record Result(int Messages, int Partitions, double IngestSeconds, double IngestPerSecond, double CopySeconds,
        double CopyPerSecond, double Ratio, double ValidateSeconds, double StoreSeconds, double CommitSeconds, long Batches, int BatchSize, int Cores,
        double ValidateOnlyPerSecond, double RatioCeiling, int StoreRefused, long Isolated, double StoreMillisecondsPerBatch,
        IReadOnlyDictionary<string, double> StageSeconds, double ServiceCpuSeconds, double PostgresCpuSeconds,
        double CopyIntoEventsTablePerSecond, double CopyIntoEventsTableWithoutForeignKeyPerSecond);

    /// <param name="storeRefused">Messages, spread evenly, that pass validation but the store refuses (a stream key past
    /// PostgreSQL's btree row limit): each costs its batch a bisection, about 2·log2(batch) transactions.</param>
    public static async Task<Result> RunAsync(Infrastructure infra, int messages, int batchSize, ILogger log, CancellationToken ct, int storeRefused = 0)
    {
        var run = $"bench{DateTime.UtcNow:HHmmss}";
        var topics = new TopicNames { Crashes = $"{run}-crash-dumps", Status = $"{run}-service-status", Manifests = $"{run}-update-manifests", Findings = $"{run}-findings" };
        var refused = Enumerable.Range(0, storeRefused).Select(k => (int)((k + 0.5) * messages / storeRefused)).ToHashSet();
        var values = Enumerable.Range(0, messages).Select(i => Crash(i, refused.Contains(i))).ToList();
        // librdkafka's mock broker keeps only about 5 MB per partition (older segments are dropped), and producing is
        // done before ingesting: spread the messages so none is dropped before it is read.
        var partitions = Math.Max(6, (int)Math.Ceiling(values.Sum(v => (long)v.Length) / (3.0 * 1024 * 1024)));
        foreach (var t in topics.All) infra.EmbeddedKafka?.CreateTopic(t, partitions);
        log.LogInformation("Producing {Count} crash reports (not timed)", messages);
        var failed = 0;
        using (var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = infra.BootstrapServers, LingerMs = 20, BatchNumMessages = 10_000, EnableIdempotence = true }).Build())
        {
            void Delivered(DeliveryReport<string, byte[]> r) { if (r.Error.IsError) Interlocked.Increment(ref failed); }
            for (var i = 0; i < values.Count; i++)
            {
                while (true)
                {
                    try { producer.Produce(topics.Crashes, new Message<string, byte[]> { Key = $"WIN-{i % 5000:00000}", Value = values[i] }, Delivered); break; }
                    catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull) { producer.Poll(TimeSpan.FromMilliseconds(50)); }
                }
            }
            producer.Flush(ct);
        }
        if (failed > 0) throw new InvalidOperationException($"{failed} of {messages} benchmark messages were not delivered to the broker");

        var settings = infra.AsConfiguration().Concat(
        [
            new("Store:Schema", run), new("Store:Daemon", "Disabled"), new("Kafka:GroupId", run),
            new("Kafka:Topics:Crashes", topics.Crashes), new("Kafka:Topics:Status", topics.Status),
            new("Kafka:Topics:Manifests", topics.Manifests), new("Kafka:Topics:Findings", topics.Findings),
            new("Ingestion:BatchSize", batchSize.ToString()),
        ]);
        var postmaster = await PostmasterAsync(infra.ConnectionString, ct);
        await using var app = CorrelatorHost.Build(settings, logLevel: LogLevel.Warning);
        // Marten announces a disabled daemon on stdout; stdout is for the figures.
        var stdout = Console.Out;
        Console.SetOut(Console.Error);
        try { await app.StartAsync(ct); } finally { Console.SetOut(stdout); }
        var progress = app.Services.GetRequiredService<IngestionProgress>();
        var cpu = (Service: Process.GetCurrentProcess().TotalProcessorTime, Postgres: postmaster is { } p0 ? Replay.CpuMeter.ServerCpu(p0) : TimeSpan.Zero);
        var deadline = DateTime.UtcNow.AddMinutes(30);
        var nextLog = DateTime.UtcNow.AddSeconds(10);
        while (progress.Accepted + progress.Duplicates + progress.Rejected < messages)
        {
            if (DateTime.UtcNow > nextLog)
            {
                log.LogInformation("{Done} of {Messages} ingested", progress.Accepted + progress.Duplicates + progress.Rejected, messages);
                nextLog = DateTime.UtcNow.AddSeconds(10);
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"ingested {progress.Accepted} of {messages} within 30 minutes");
            await Task.Delay(50, ct);
        }
        var ingest = progress.Busy;
        var serviceCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu.Service;
        var postgresCpu = (postmaster is { } p1 ? Replay.CpuMeter.ServerCpu(p1) : TimeSpan.Zero) - cpu.Postgres;
        var spent = progress.Spent;
        var batches = progress.Batches;
        var isolated = progress.IsolatedRecords;
        var stages = app.Services.GetRequiredService<StoreStages>().Snapshot().ToDictionary(s => s.Stage.ToString().ToLowerInvariant(), s => s.Spent.TotalSeconds);
        await app.StopAsync(ct);

        var copy = await CopyAsync(infra.ConnectionString, run, values, ct);
        var copyShaped = await CopyAsync(infra.ConnectionString, run, values, ct, eventsShape: true);
        var copyShapedNoKey = await CopyAsync(infra.ConnectionString, run, values, ct, eventsShape: true, foreignKey: false);
        var validateOnly = ValidateOnly(values);
        var ingestRate = messages / ingest.TotalSeconds;
        var copyRate = messages / copy.TotalSeconds;
        var validateRate = messages / validateOnly.TotalSeconds;
        return new Result(messages, partitions, ingest.TotalSeconds, ingestRate, copy.TotalSeconds, copyRate, ingestRate / copyRate,
            spent.Validate.TotalSeconds, spent.Store.TotalSeconds, spent.Commit.TotalSeconds, batches, batchSize, Environment.ProcessorCount,
            validateRate, validateRate / copyRate, storeRefused, isolated, spent.Store.TotalMilliseconds / Math.Max(1, batches), stages,
            serviceCpu.TotalSeconds, postgresCpu.TotalSeconds, messages / copyShaped.TotalSeconds,
            messages / copyShapedNoKey.TotalSeconds);
    }

    /// <summary>The local server's postmaster (null if the server is remote or not on Linux): its processes' CPU is counted.</summary>
    private static async Task<int?> PostmasterAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        var backend = conn.ProcessID;
        return Replay.CpuMeter.PostmasterOf(backend) is { } pm && pm > 1 ? pm : null;
    }

    /// <summary>
    /// Schema validation alone, on every core, as the consumer runs it: no broker, no store, nothing else competing. The
    /// end-to-end rate cannot exceed it, so <c>ValidateOnlyPerSecond / CopyPerSecond</c> is the ceiling on the ratio.
    /// </summary>
    private static TimeSpan ValidateOnly(IReadOnlyList<byte[]> values)
    {
        var validator = new MessageValidator();
        var sw = Stopwatch.StartNew();
        Parallel.For(0, values.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            if (validator.Validate(MessageKind.Crash, values[i]) is not ValidationResult.Accepted)
                throw new InvalidOperationException($"benchmark message {i} was refused");
        });
        return sw.Elapsed;
    }

    /// <summary>
    /// The rows the ingest writes for these messages (id, stream, version, type, the body as bytes with the empty jsonb
    /// placeholder beside it, timestamps), by binary COPY into a plain table. With <paramref name="eventsShape"/>, into a
    /// table of <c>mt_events</c>' shape instead (its indexes, and its foreign key to the streams the ingest created): the
    /// floor of any append that keeps Marten's schema, receipts and stream versions left out; without
    /// <paramref name="foreignKey"/>, what that key costs.
    /// </summary>
    private static async Task<TimeSpan> CopyAsync(string connectionString, string schema, IReadOnlyList<byte[]> values, CancellationToken ct,
        bool eventsShape = false, bool foreignKey = true)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        var table = !eventsShape ? "copy_baseline" : foreignKey ? "copy_events_shape" : "copy_events_shape_no_key";
        var ddl = eventsShape
            ? $"create table {schema}.{table} (like {schema}.mt_events including all)" +
              (foreignKey ? $"; alter table {schema}.{table} add foreign key (stream_id) references {schema}.mt_streams (id) on delete cascade" : "")
            : $"create table {schema}.{table} (seq bigint, id uuid, stream_id text, version int, type text, data jsonb, bdata bytea, mt_dotnet_type text, timestamp timestamptz, message_id text)";
        await using (var create = new NpgsqlCommand(ddl, conn))
            await create.ExecuteNonQueryAsync(ct);
        var columns = eventsShape ? "(seq_id, id, stream_id, version, type, data, bdata, mt_dotnet_type, timestamp, tenant_id)" : "";
        var sw = Stopwatch.StartNew();
        await using (var import = await conn.BeginBinaryImportAsync($"copy {schema}.{table} {columns} from stdin (format binary)", ct))
        {
            for (var i = 0; i < values.Count; i++)
            {
                await import.StartRowAsync(ct);
                await import.WriteAsync((long)i, NpgsqlDbType.Bigint, ct);
                await import.WriteAsync(Guid.NewGuid(), NpgsqlDbType.Uuid, ct);
                await import.WriteAsync($"host/WIN-{i % 5000:00000}", NpgsqlDbType.Text, ct);
                if (eventsShape) await import.WriteAsync((long)(i / 5000 + 1), NpgsqlDbType.Bigint, ct);
                else await import.WriteAsync(i / 5000 + 1, NpgsqlDbType.Integer, ct);
                await import.WriteAsync("crash_reported", NpgsqlDbType.Text, ct);
                await import.WriteAsync("{}", NpgsqlDbType.Jsonb, ct);
                await import.WriteAsync(values[i], NpgsqlDbType.Bytea, ct);
                await import.WriteAsync($"{typeof(Ingestion.Events.CrashReported).FullName}, {typeof(Ingestion.Events.CrashReported).Assembly.GetName().Name}", NpgsqlDbType.Text, ct);
                await import.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz, ct);
                await import.WriteAsync(eventsShape ? JasperFx.StorageConstants.DefaultTenantId : $"crash-{i}", NpgsqlDbType.Text, ct);
            }
            await import.CompleteAsync(ct);
        }
        return sw.Elapsed;
    }

    /// <summary>A realistic crash report: a kernel crash with a short stack and a module list.</summary>
    private static byte[] Crash(int i, bool storeRefused)
    {
        var host = storeRefused ? "WIN-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8_000)) : $"WIN-{i % 5000:00000}";
        var stack = new JsonArray();
        foreach (var m in new[] { "csagent.sys", "ntoskrnl.exe", "fltmgr.sys", "ntoskrnl.exe", "ntoskrnl.exe" })
            stack.Add(new JsonObject { ["module"] = m, ["offset"] = $"0x{(i * 7919 + m.Length) % 0xfffff:x}" });
        var modules = new JsonArray();
        foreach (var m in new[] { "ntoskrnl.exe", "hal.dll", "csagent.sys", "fltmgr.sys", "ntfs.sys", "storport.sys", "tcpip.sys", "ndis.sys", "win32k.sys", "nvlddmkm.sys" })
            modules.Add(new JsonObject { ["name"] = m, ["version"] = "10.0.19041.4651" });
        var crash = new JsonObject
        {
            ["id"] = $"crash-{i}", ["hostId"] = host, ["occurredAt"] = DateTimeOffset.Parse("2024-07-19T04:10:00Z").AddMilliseconds(i * 37).ToString("O"),
            ["platform"] = "windows", ["kind"] = "kernel", ["osVersion"] = "10.0.19045.4651", ["region"] = "eastus", ["fleet"] = "pos-terminals",
            ["bugcheckCode"] = "0x50", ["faultingModule"] = new JsonObject { ["name"] = "csagent.sys", ["version"] = "7.16.18605.0", ["offset"] = "0xe35a1" },
            ["stack"] = stack, ["modules"] = modules, ["dumpUri"] = $"s3://dumps/{host}/{i}.dmp",
        };
        return System.Text.Encoding.UTF8.GetBytes(crash.ToJsonString());
    }
}
