using System.Diagnostics;
using Correlator.Correlation;
using Xunit.Abstractions;

namespace Correlator.Tests.Correlation;

public class CorpusAccuracyTests(ITestOutputHelper output)
{
    internal static string? CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "scenarios");
            if (Directory.Exists(candidate) && Directory.GetFiles(candidate, "*.ndjson").Length > 0) return candidate;
        }
        return null;
    }

    [Fact]
    public void Corpus_accuracy()
    {
        var dir = CorpusDirectory();
        if (dir is null) { output.WriteLine("no scenario corpus"); return; }
        var report = Accuracy.RunDirectory(dir);
        output.WriteLine(Accuracy.Table(report));
        Assert.True(report.Precision >= 0.98, $"precision {report.Precision:0.000}");
        Assert.True(report.Recall >= 0.98, $"recall {report.Recall:0.000}");
        Assert.Equal(0, report.BenignWithFindings);
    }

    [Fact]
    public void Evaluation_time_of_the_biggest_scenario()
    {
        var dir = CorpusDirectory();
        if (dir is null) return;
        var biggest = Directory.GetFiles(dir, "*.ndjson").OrderByDescending(f => new FileInfo(f).Length).First();
        var facts = ScenarioFacts.Read(biggest);
        var sw = Stopwatch.StartNew();
        CorrelationEngine.Run(facts);
        var whole = sw.Elapsed;
        // The same facts as the lead's subscription would feed them: batches of 500 in arrival order.
        sw.Restart();
        var engine = new CorrelationEngine();
        foreach (var batch in facts.Chunk(500)) { engine.AddRange(batch); engine.Evaluate(); }
        var batched = sw.Elapsed;
        output.WriteLine($"{Path.GetFileName(biggest)}: {facts.Count} facts, whole {whole.TotalMilliseconds:0} ms, in batches of 500 {batched.TotalMilliseconds:0} ms");
    }
}
