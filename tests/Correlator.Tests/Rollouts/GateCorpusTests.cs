using Correlator.Rollouts;
using Correlator.Tests.Support;
using Xunit.Abstractions;

namespace Correlator.Tests.Rollouts;

public class GateCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Over_the_corpus_no_innocent_update_is_ever_stopped_and_staged_culprits_are_stopped_before_their_last_wave()
    {
        var report = GateBacktest.RunDirectory(Corpus.Directory);
        output.WriteLine(GateBacktest.Table(report));

        Assert.True(report.InnocentUpdates > 500, $"{report.InnocentUpdates} innocent updates");
        Assert.Empty(report.FalseStops);
        var spared = report.Culprits.Where(c => c.StopWave is { } w && w < c.Waves).ToList();
        Assert.True(spared.Count >= 4, $"{spared.Count} culprits stopped before their last wave");
        // Service-only rollouts (config-rollout-regions) spare service regions, not hosts.
        Assert.True(spared.Count(c => c.HostsSpared > 0) >= 3);
        Assert.Contains(report.Culprits, c => c.UpdateId == "contoso/dlp-agent/5.2.2.1" && c.StopWave is not null && c.FailingHostsSpared > 0);
    }
}
