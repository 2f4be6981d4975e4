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
/// Times a full rebuild of the projections over a generated history. The history is what the projections read:
/// finding transitions (a raise, then updates; about 1.5 KB of JSON each, like the engine's) in streams of
/// <see cref="TransitionsPerFinding"/>, interleaved across findings as live ones are. It is written with Marten's
/// streaming bulk insert (binary COPY into mt_events, bounded memory), then <see cref="ProjectionRebuild"/> runs as
/// <c>rebuild</c> does. Peak RSS is the process high-water mark (VmHWM) reset just before the rebuild.
/// </summary>
public static class RebuildBenchmark
{
    public const int TransitionsPerFinding = 10;
    private const int Interleave = 1000;

    public sealed record Result(
        long Events, long Findings, double GenerateSeconds, double GenerateEventsPerSecond,
        double RebuildSeconds, double RebuildEventsPerSecond, double ReadOnlyEventsPerSecond, long PeakRssBytes, long PeakRssBeforeBytes, int? ProjectionBatchSize,
        IReadOnlyList<string> Projections);

    public static async Task GenerateAsync(IDocumentStore store, long events, IProgress<long>? progress, CancellationToken ct)
    {
        var findings = (events + TransitionsPerFinding - 1) / TransitionsPerFinding;
        var headers = new List<BulkEventStreamHeader>((int)findings);
        for (long f = 0; f < findings; f++)
            headers.Add(new BulkEventStreamHeader { Key = FindingId(f), Version = TransitionsPerFinding });
        await store.BulkInsertEventStreamAsync(StorageConstants.DefaultTenantId, headers, Events(findings, progress, ct), 10_000, ct);
        progress?.Report(findings * TransitionsPerFinding);
    }

    public static async Task<Result> RunAsync(IDocumentStore store, long events, ILogger log, int? projectionBatchSize, int? flushThreshold,
        IProgress<long>? generated = null, IProgress<RebuildProgress>? rebuilt = null, CancellationToken ct = default)
    {
        foreach (var p in ((StoreOptions)store.Options).Projections.All)
        {
            if (projectionBatchSize is { } size) p.Options.BatchSize = size;
            if (flushThreshold is { } threshold) p.Options.RebuildFlushThreshold = threshold;
        }
        var clock = Stopwatch.StartNew();
        await GenerateAsync(store, events, generated, ct);
        var generateSeconds = clock.Elapsed.TotalSeconds;
        var total = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventCount;

        GC.Collect();
        var before = PeakRss();
        ResetPeakRss();
        clock.Restart();
        var report = await new ProjectionRebuild(store, log).RunAsync(restart: true, rebuilt, ct);
        var rebuildSeconds = clock.Elapsed.TotalSeconds;
        var peak = PeakRss();

        // The floor under any rebuild: fetching and deserializing every event once, with nothing applied or written.
        clock.Restart();
        long read = 0;
        await using (var session = store.QuerySession())
            await foreach (var _ in session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToAsyncEnumerable(ct)) read++;
        var readSeconds = clock.Elapsed.TotalSeconds;
        return new Result(total, total / TransitionsPerFinding, generateSeconds, total / generateSeconds, rebuildSeconds, total / rebuildSeconds,
            read / readSeconds, peak, before, projectionBatchSize, report.Rebuilt);
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
