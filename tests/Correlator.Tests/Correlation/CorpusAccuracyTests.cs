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
        Assert.Equal(0, report.BenignWithFindings);
        Assert.True(report.Precision >= 0.98, $"precision {report.Precision:0.000}");
        Assert.True(report.Recall >= 0.98, $"recall {report.Recall:0.000}");
        Assert.True(report.MedianBurstTimeToDetect <= TimeSpan.FromMinutes(2), $"median burst time to detect {report.MedianBurstTimeToDetect}");
    }
}

public class CorpusDiagnostics(ITestOutputHelper output)
{
    /// <summary>Prints every finding of the scenarios named in CORRELATOR_DIAGNOSE (comma separated) with its evidence at raise.</summary>
    [Fact]
    public void Diagnose()
    {
        var names = Environment.GetEnvironmentVariable("CORRELATOR_DIAGNOSE");
        var dir = Environment.GetEnvironmentVariable("CORRELATOR_DIAGNOSE_DIR") ?? CorpusAccuracyTests.CorpusDirectory();
        if (string.IsNullOrEmpty(names) || dir is null) return;
        foreach (var name in names.Split(','))
        {
            var facts = ScenarioFacts.Read(Path.Combine(dir, name + ".ndjson"));
            output.WriteLine($"== {name}");
            var threshold = Environment.GetEnvironmentVariable("CORRELATOR_DIAGNOSE_THRESHOLD");
            var file = Environment.GetEnvironmentVariable("CORRELATOR_DIAGNOSE_SETTINGS");
            var settings = file is null ? CorrelationSettings.Default : CorrelationSettings.FromJson(File.ReadAllText(file));
            if (threshold is not null) settings = settings with { RaiseThreshold = double.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture) };
            var only = Environment.GetEnvironmentVariable("CORRELATOR_DIAGNOSE_UPDATE");
            foreach (var f in CorrelationEngine.Run(facts, settings).Where(f => only is null || f.UpdateId.Contains(only, StringComparison.Ordinal)))
            {
                output.WriteLine($"{f.UpdateId} {f.Current.Status} detected {f.DetectedAt:MM-dd HH:mm} first {f.Current.FirstFailureAt:MM-dd HH:mm}");
                foreach (var t in f.Transitions.Take(1).Concat(f.Transitions.Skip(1).TakeLast(1)))
                {
                    output.WriteLine($"  {t.Kind} {t.At:MM-dd HH:mm} conf {t.Finding.Confidence}");
                    foreach (var e in t.Finding.Evidence.Signatures) output.WriteLine($"    {e}");
                    foreach (var e in t.Finding.Evidence.Services) output.WriteLine($"    {e}");
                }
                output.WriteLine("  " + f.Current.Explanation);
            }
        }
    }
}
