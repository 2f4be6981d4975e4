using System.Diagnostics;
using Correlator.Correlation;
using Correlator.Scenarios;
using Xunit.Abstractions;

namespace Correlator.Tests.Correlation;

/// <summary>
/// Throughput of the engine, printed (facts/s and CPU time), not asserted: the machine is shared. What is asserted is
/// that both ways of feeding find the same culprits.
/// </summary>
public class EngineBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void Throughput_of_a_whole_replay_and_of_minute_by_minute_feeding()
    {
        var dir = CorpusAccuracyTests.CorpusDirectory();
        if (dir is null) return;
        var facts = ScenarioFacts.Read(Path.Combine(dir, "july-2024.ndjson"));
        CorrelationEngine.Run(facts.Take(2000)); // JIT

        var (whole, wholeFindings) = Measure(() => CorrelationEngine.Run(facts));
        Print("july-2024, whole replay", facts.Count, whole);

        // As the findings subscription feeds it live: one page of facts per minute of knowledge time, each followed by
        // Evaluate(closeOpenTick: true).
        var minutes = facts.GroupBy(f => CorrelationEngine.KnownAt(f)!.Value.UtcTicks / TimeSpan.TicksPerMinute).ToList();
        var (fed, fedFindings) = Measure(() =>
        {
            var engine = new CorrelationEngine();
            foreach (var page in minutes) { engine.AddRange(page); engine.Evaluate(); }
            return engine.Evaluate();
        });
        Print($"july-2024, {minutes.Count} one-minute pages", facts.Count, fed);
        Assert.Equal(Culprits(wholeFindings), Culprits(fedFindings));
        Assert.Contains(July2024.ContentUpdate, Culprits(wholeFindings));
    }

    [Fact]
    public void Throughput_of_a_long_history()
    {
        // The July night on a fleet about four times the corpus one: ~50k facts.
        var scenario = July2024.Generate("july-2024-large", 190720243, 2.8, storageManifest: true);
        var facts = ScenarioFacts.Parse(ScenarioWriter.Ndjson(scenario).Split('\n'));
        CorrelationEngine.Run(facts.Take(2000)); // JIT
        var (whole, findings) = Measure(() => CorrelationEngine.Run(facts));
        Print("july-2024 ×4, whole replay", facts.Count, whole);
        Assert.Contains(July2024.ContentUpdate, Culprits(findings));
    }

    [Theory]
    [InlineData(16)]
    public void The_July_night_on_a_fleet_many_times_the_corpus_one(int times)
    {
        // Every channel file supersedes the one before it on every Windows host: the cost of supersession must follow
        // the failing hosts, not the fleet (it was a scan of every known host per update, signature and minute).
        var scenario = July2024.Generate($"july-2024-x{times}", 19072024, 0.7 * times, storageManifest: true);
        var facts = ScenarioFacts.Parse(ScenarioWriter.Ndjson(scenario).Split('\n'));
        CorrelationEngine.Run(facts.Take(2000)); // JIT
        var (whole, findings) = Measure(() => CorrelationEngine.Run(facts));
        Print($"july-2024 ×{times}, whole replay", facts.Count, whole);
        Assert.Contains(July2024.ContentUpdate, Culprits(findings));
        Assert.Contains(July2024.StorageChange, Culprits(findings));
    }

    private static (TimeSpan Cpu, IReadOnlyList<FindingHistory> Findings) Measure(Func<IReadOnlyList<FindingHistory>> run)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var findings = run();
        process.Refresh();
        LastWall = wall.Elapsed;
        return (process.TotalProcessorTime - cpu, findings);
    }

    private static TimeSpan LastWall;

    private void Print(string what, int facts, TimeSpan cpu) =>
        output.WriteLine($"{what}: {facts} facts, wall {LastWall.TotalMilliseconds:0} ms ({facts / LastWall.TotalSeconds:0} facts/s), " +
                         $"process CPU {cpu.TotalMilliseconds:0} ms, load average {LoadAverage()}");

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static List<string> Culprits(IEnumerable<FindingHistory> findings) => findings.Select(f => f.UpdateId).Distinct().Order(StringComparer.Ordinal).ToList();
}
