using System.Diagnostics;
using Correlator.Correlation;
using Correlator.Findings;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Logging;

namespace Correlator.Replay;

/// <summary>
/// Times a full rebuild of the projections over a generated history, written with Marten's streaming bulk insert
/// (binary COPY into mt_events, bounded memory), then <see cref="ProjectionRebuild"/> runs as <c>rebuild</c> does.
/// Two histories: <see cref="History.Mixed"/> is what the store of a real fleet holds, the July 2024 flagship scenario's
/// accepted messages (installations, service status, crashes, manifests) repeated over fresh hosts and later days, with
/// one finding transition per hundred events; <see cref="History.Findings"/> is the worst case for the findings views,
/// finding transitions only (a raise, then updates; about 1.5 KB of JSON each) in streams of
/// <see cref="TransitionsPerFinding"/>, interleaved across findings as live ones are. Peak RSS is the process
/// high-water mark (VmHWM) reset just before the rebuild.
/// </summary>
public static class RebuildBenchmark
{
    public const int TransitionsPerFinding = 10;
    public const int EventsPerFindingTransition = 100;

    public enum History { Mixed, Findings }
    private const int Interleave = 1000;

    public sealed record Result(
        long Events, long Findings, double GenerateSeconds, double GenerateEventsPerSecond,
        double RebuildSeconds, double RebuildEventsPerSecond, double ReadOnlyEventsPerSecond, long PeakRssBytes, long PeakRssBeforeBytes, int? ProjectionBatchSize,
        IReadOnlyList<string> Projections, IReadOnlyDictionary<string, double> ProjectionSeconds, string History, IReadOnlyDictionary<string, long> EventTypes,
        double RebuildServiceCpuSeconds, double RebuildJitSeconds, long RebuildJitMethods, double RebuildPostgresCpuSeconds);

    public static async Task GenerateAsync(IDocumentStore store, long events, History history, IProgress<long>? progress, CancellationToken ct)
    {
        if (history == History.Mixed)
        {
            await GenerateMixedAsync(store, events, progress, ct);
            return;
        }
        var findings = (events + TransitionsPerFinding - 1) / TransitionsPerFinding;
        var headers = new List<BulkEventStreamHeader>((int)findings);
        for (long f = 0; f < findings; f++)
            headers.Add(new BulkEventStreamHeader { Key = FindingId(f), Version = TransitionsPerFinding });
        await store.BulkInsertEventStreamAsync(StorageConstants.DefaultTenantId, headers, Events(findings, progress, ct), 10_000, ct);
        progress?.Report(findings * TransitionsPerFinding);
    }

    public static async Task<Result> RunAsync(IDocumentStore store, long events, History history, ILogger log, int? projectionBatchSize, int? flushThreshold,
        IProgress<long>? generated = null, IProgress<RebuildProgress>? rebuilt = null, CancellationToken ct = default, int? parallelism = null)
    {
        foreach (var p in ((StoreOptions)store.Options).Projections.All)
        {
            if (projectionBatchSize is { } size) p.Options.BatchSize = size;
            if (flushThreshold is { } threshold) p.Options.RebuildFlushThreshold = threshold;
        }
        var clock = Stopwatch.StartNew();
        await GenerateAsync(store, events, history, generated, ct);
        var generateSeconds = clock.Elapsed.TotalSeconds;
        var total = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventCount;
        var types = await CountTypesAsync(store, ct);
        var findingStreams = types.Where(t => t.Key == "finding_raised").Sum(t => t.Value);

        GC.Collect();
        var before = PeakRss();
        ResetPeakRss();
        clock.Restart();
        var cpu = CpuMeter.Now();
        var rebuild = parallelism is { } limit ? new ProjectionRebuild(store, log) { Parallelism = limit } : new ProjectionRebuild(store, log);
        var report = await rebuild.RunAsync(restart: true, rebuilt, ct);
        var rebuildSeconds = clock.Elapsed.TotalSeconds;
        var used = CpuMeter.Now().Since(cpu);
        var peak = PeakRss();

        // The floor under any rebuild: fetching and deserializing every event once, with nothing applied or written.
        clock.Restart();
        long read = 0;
        await using (var session = store.QuerySession())
            await foreach (var _ in session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToAsyncEnumerable(ct)) read++;
        var readSeconds = clock.Elapsed.TotalSeconds;
        return new Result(total, findingStreams, generateSeconds, total / generateSeconds, rebuildSeconds, total / rebuildSeconds,
            read / readSeconds, peak, before, projectionBatchSize, report.Rebuilt, report.Durations.ToDictionary(d => d.Key, d => Math.Round(d.Value.TotalSeconds, 2)), history.ToString().ToLowerInvariant(), types,
            Math.Round(used.Service.TotalSeconds, 2), Math.Round(used.Jit.TotalSeconds, 2), used.JitMethods, Math.Round(used.Postgres.TotalSeconds, 2));
    }

    private static async IAsyncEnumerable<IEvent> Events(long findings, IProgress<long>? progress, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var start = DateTimeOffset.Parse("2024-07-19T00:00:00Z");
        long n = 0;
        for (long block = 0; block < findings; block += Interleave)
        {
            ct.ThrowIfCancellationRequested();
            var end = Math.Min(findings, block + Interleave);
            for (var i = 0; i < TransitionsPerFinding; i++)
                for (var f = block; f < end; f++)
                {
                    var at = start.AddMinutes(f % 10_000 + i);
                    var finding = Finding(f, i, at, start.AddMinutes(f % 10_000));
                    IEvent e = i == 0
                        ? new Event<FindingRaised>(new FindingRaised(finding, at, i))
                        : new Event<FindingUpdated>(new FindingUpdated(finding, at, i));
                    e.Id = Guid.CreateVersion7();
                    e.StreamKey = FindingId(f);
                    e.Version = i + 1;
                    e.Timestamp = at;
                    if (++n % 50_000 == 0) progress?.Report(n);
                    yield return e;
                }
            await Task.Yield();
        }
    }

    /// <summary>Events per type name, counted (a scan of the store).</summary>
    internal static async Task<IReadOnlyDictionary<string, long>> CountTypesAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand($"select type, count(*) from {store.Options.Events.DatabaseSchemaName}.mt_events group by type order by 2 desc", conn);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    /// <summary>
    /// The flagship scenario's accepted messages as events, copy after copy (copy k: every host, update and message id
    /// suffixed <c>~k</c>, every time shifted by k × 3 days), with a finding transition after every
    /// <see cref="EventsPerFindingTransition"/> events, until <paramref name="events"/>.
    /// </summary>
    private static async Task GenerateMixedAsync(IDocumentStore store, long events, IProgress<long>? progress, CancellationToken ct)
    {
        var validator = new Ingestion.MessageValidator();
        var template = new List<object>();
        foreach (var line in Scenarios.ScenarioCatalog.Generate("july-2024").Lines)
            if (validator.Validate(line.Topic, line.Bytes()) is Ingestion.ValidationResult.Accepted a)
                template.Add(Ingestion.IngestBatch.Stamp(a.Event, a.EventTime.AddSeconds(2)));

        IEnumerable<(string Stream, object Data)> Plan()
        {
            long n = 0, findings = 0;
            for (var copy = 0; ; copy++)
            {
                var shift = TimeSpan.FromDays(3 * copy);
                foreach (var e in template)
                {
                    var data = Copy(e, "~" + copy, shift);
                    yield return (Ingestion.StreamKeys.For(data), data);
                    if (++n >= events) yield break;
                    if (n % EventsPerFindingTransition != 0) continue;
                    var f = findings++;
                    var i = (int)(f % TransitionsPerFinding);
                    var finding = f / TransitionsPerFinding;
                    var at = DateTimeOffset.Parse("2024-07-19T00:00:00Z") + shift;
                    var snapshot = Finding(finding, i, at.AddMinutes(i), at);
                    yield return (FindingId(finding), i == 0 ? new FindingRaised(snapshot, at, i) : new FindingUpdated(snapshot, at.AddMinutes(i), i));
                    if (++n >= events) yield break;
                }
            }
        }

        var graph = (EventGraph)store.Options.Events;
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (stream, _) in Plan()) versions[stream] = versions.GetValueOrDefault(stream) + 1;
        var headers = versions.Select(v => new BulkEventStreamHeader { Key = v.Key, Version = v.Value }).ToList();
        await store.BulkInsertEventStreamAsync(StorageConstants.DefaultTenantId, headers, Events(), 10_000, ct);
        progress?.Report(events);

        async IAsyncEnumerable<IEvent> Events()
        {
            var next = new Dictionary<string, long>(StringComparer.Ordinal);
            long n = 0;
            foreach (var (stream, data) in Plan())
            {
                ct.ThrowIfCancellationRequested();
                var e = graph.BuildEvent(data);
                e.Id = Guid.CreateVersion7();
                e.StreamKey = stream;
                e.Version = next[stream] = next.GetValueOrDefault(stream) + 1;
                e.Timestamp = DateTimeOffset.UtcNow;
                if (++n % 50_000 == 0)
                {
                    progress?.Report(n);
                    await Task.Yield();
                }
                yield return e;
            }
        }
    }

    private static object Copy(object e, string suffix, TimeSpan shift) => e switch
    {
        Ingestion.Events.CrashReported c => c with { Id = c.Id + suffix, HostId = c.HostId + suffix, OccurredAt = c.OccurredAt + shift, ObservedAt = c.ObservedAt + shift },
        Ingestion.Events.UpdateInstalled i => i with { Id = i.Id + suffix, HostId = i.HostId + suffix, UpdateId = i.UpdateId + suffix, InstalledAt = i.InstalledAt + shift, ObservedAt = i.ObservedAt + shift },
        Ingestion.Events.ServiceStatusObserved s => s with { Id = s.Id + suffix, ObservedAt = s.ObservedAt + shift, ReceivedAt = s.ReceivedAt + shift },
        Ingestion.Events.UpdateReleased r => r with { Id = r.Id + suffix, UpdateId = r.UpdateId + suffix, ReleasedAt = r.ReleasedAt + shift, ObservedAt = r.ObservedAt + shift },
        Ingestion.Events.UpdateRecalled r => r with { Id = r.Id + suffix, UpdateId = r.UpdateId + suffix, RecalledAt = r.RecalledAt + shift, ObservedAt = r.ObservedAt + shift },
        _ => throw new ArgumentException($"no copy rule for {e.GetType().Name}", nameof(e)),
    };

    private static string FindingId(long f) => $"F-bench{f:D12}";

    private static Finding Finding(long f, int transition, DateTimeOffset at, DateTimeOffset detected)
    {
        var update = $"vendor-{f % 97}/product/{f}";
        var crashes = 3 + transition * 7;
        var signatures = new[]
        {
            new FindingSignature($"windows-kernel:0x00000050:driver{f % 13}.sys", crashes, crashes - 1),
            new FindingSignature($"windows-kernel:0x0000007e:driver{f % 13}.sys", crashes / 2, crashes / 2),
        };
        SignatureEvidence Evidence(FindingSignature s) => new(s.Signature, Crashes: s.Crashes, Hosts: s.Hosts, ExposedHosts: s.Hosts,
            UnexposedHosts: 1, BaselineHosts: 2, BaselineHours: 168, ExposedHostHours: 0.5 + transition, RateBefore: 0.01,
            RateAfter: s.Hosts / (0.5 + transition), Lift: 120.5, RisePValue: 1e-12, ExposedFraction: 0.12, LogLikelihoodRatio: 20.7,
            OnsetDelayHours: 0.4, ModuleMatch: true, Module: $"driver{f % 13}.sys", MinutesFromExposureToFailure: 12.5,
            BayesFactor: 3.2e8, Posterior: 0.9946, StrongestAlternative: null, AlternativePosterior: 0);
        var evidence = new FindingEvidence(detected.AddHours(-1), null, "installations", 0.02, 0.9946,
            signatures.Select(Evidence).ToList(),
            [new ServiceEvidence("checkout-api", "eastus", "degraded", 4, false, true, 3, 0, 0.4, 0.001, 30, 40, 0.9)]);
        return new Finding($"{FindingId(f)}", FindingStatus.Suspected, update, $"Vendor {f % 97}", "Product", $"1.{f}.{transition}",
            Math.Min(0.9999, 0.8 + transition * 0.02), signatures, [new FindingService("checkout-api", "eastus", "degraded")], evidence,
            $"Update {update} explains {crashes} crashes on {crashes - 1} hosts that installed it; none of the hosts without it crashed this way.",
            detected.AddMinutes(-20), detected);
    }

    /// <summary>VmHWM from /proc/self/status (peak resident set), else the runtime's peak working set.</summary>
    public static long PeakRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException) { }
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM to the current RSS, so the peak measured is the rebuild's.</summary>
    private static void ResetPeakRss()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
