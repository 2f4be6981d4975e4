using Correlator.Correlation;
using Correlator.Scenarios;
using Xunit.Abstractions;

namespace Correlator.Tests.Correlation;

public class AccuracyEvaluationTests(ITestOutputHelper output)
{
    [Fact]
    public void Expected_file_without_signatures_takes_the_first_failure_from_the_findings()
    {
        var dir = Directory.CreateTempSubdirectory("acc-nosig").FullName;
        try
        {
            var s = IncidentLibrary.Generate(GoogleServiceControl2025.Name);
            File.WriteAllText(Path.Combine(dir, "x.ndjson"), ScenarioWriter.Ndjson(s));
            var culprit = s.Expected.Culprits.Single().UpdateId;
            File.WriteAllText(Path.Combine(dir, "x.expected.json"), $"{{\"culprits\":[{{\"updateId\":\"{culprit}\"}}],\"notCulprits\":[]}}");
            var report = Accuracy.RunDirectory(dir);
            var d = Assert.Single(report.Scenarios.Single().Detections);
            // The first crash or degraded observation of what the finding explains, at or after the 17:45Z release (a host whose clock is behind may report one before 17:49).
            Assert.InRange(d.FirstFailureAt, new DateTimeOffset(2025, 6, 12, 17, 45, 0, TimeSpan.Zero), new DateTimeOffset(2025, 6, 12, 17, 56, 0, TimeSpan.Zero));
            Assert.InRange(d.TimeToDetect, TimeSpan.Zero, TimeSpan.FromMinutes(30));
            Assert.True(d.Burst);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("{\"culprits\": [ {\"updateId\": ")]
    [InlineData("[1, 2]")]
    [InlineData("{\"culprits\": [ {\"signatures\": [\"x\"]} ]}")]
    [InlineData("{\"culprits\": 5}")]
    public void Malformed_expected_file_is_a_one_line_error_naming_it(string text)
    {
        var dir = Directory.CreateTempSubdirectory("acc-bad").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "x.ndjson"), "");
            File.WriteAllText(Path.Combine(dir, "x.expected.json"), text);
            var e = Assert.Throws<InvalidDataException>(() => Accuracy.RunDirectory(dir));
            Assert.Contains("x.expected.json", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Randomized_generator_is_deterministic_and_its_outcome_names_what_occurs()
    {
        foreach (var seed in new[] { 1, 2, 3, 1001 })
        {
            var a = RandomizedScenarios.Generate(seed);
            Assert.Equal(ScenarioWriter.Ndjson(a), ScenarioWriter.Ndjson(RandomizedScenarios.Generate(seed)));
            Assert.Equal(ScenarioWriter.ExpectedJson(a), ScenarioWriter.ExpectedJson(RandomizedScenarios.Generate(seed)));
            Assert.NotEqual(ScenarioWriter.Ndjson(a), ScenarioWriter.Ndjson(RandomizedScenarios.Generate(seed + 1)));
            var facts = AccuracySuites.Facts(a);
            var released = facts.OfType<Correlator.Ingestion.Events.UpdateReleased>().Select(r => r.UpdateId).ToHashSet();
            foreach (var c in a.Expected.Culprits)
            {
                Assert.Contains(c.UpdateId, released);
                Assert.NotEmpty(c.Signatures);
                Assert.NotNull(c.FirstFailureAt);
                Assert.NotEmpty(Accuracy.Failures(facts, c));
            }
            Assert.All(a.Expected.NotCulprits, n => Assert.Contains(n, released));
            Assert.Contains(a.Lines, l => l.RawValue is not null);
        }
        Assert.Empty(RandomizedSeeds.Tuning.Intersect(RandomizedSeeds.HeldOut));
        Assert.True(RandomizedSeeds.Tuning.Count + RandomizedSeeds.HeldOut.Count >= 300);
    }

    /// <summary>
    /// A regression floor on a small tuning sample (never the held-out set: a test failing there would invite tuning on
    /// it), set just below the engine's figures on main when this was written (precision 0.800, recall 0.632 on seeds 1..20).
    /// Raise it as the model improves.
    /// </summary>
    [Fact]
    public void Tuning_sample_stays_above_its_floor()
    {
        var result = AccuracySuites.RunRandomized(AccuracySuites.Tuning, RandomizedSeeds.Tuning.Take(20).ToList(), parallelism: 2);
        output.WriteLine(Accuracy.Table(result.Report));
        output.WriteLine(result.Calibration!.Table());
        Assert.True(result.Report.Precision >= 0.75, $"precision {result.Report.Precision:0.000}");
        Assert.True(result.Report.Recall >= 0.60, $"recall {result.Report.Recall:0.000}");
        Assert.True(result.Calibration.Brier <= 0.25, $"Brier {result.Calibration.Brier}");
    }
}
