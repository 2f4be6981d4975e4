using Correlator.Ingestion.Events;
using Correlator.Rollouts;

namespace Correlator.Tests.Rollouts;

public class BlastRadiusTests
{
    private static readonly DateTimeOffset T0 = new(2024, 9, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Fisher_exact_upper_tail_matches_the_lady_tasting_tea()
    {
        // 8 cups, 4 with milk first, 4 picked: P(at least 3 right) = 17/70.
        Assert.Equal(17.0 / 70, Math.Exp(BlastRadius.LogFisherUpper(3, 4, 4, 8)), 12);
        Assert.Equal(1.0 / 70, Math.Exp(BlastRadius.LogFisherUpper(4, 4, 4, 8)), 12);
        Assert.Equal(1.0, Math.Exp(BlastRadius.LogFisherUpper(0, 4, 4, 8)), 12);
    }

    [Fact]
    public void The_attribute_every_failing_host_has_and_few_others_do_is_named_with_the_unexposed_hosts_that_share_it()
    {
        var hosts = new List<FleetHost>();
        var exposed = new Dictionary<string, DateTimeOffset>();
        for (var i = 0; i < 80; i++)
        {
            var h = new FleetHost { Id = $"H{i:00}" };
            var nvidia = i % 4 == 0;
            ModuleRef[] modules = nvidia ? [new("nvlddmkm.sys", "560.81"), new("agent.sys", "2.0")] : [new("agent.sys", "2.0")];
            h.Apply(new CrashReported($"old-{i}", h.Id, T0 - TimeSpan.FromDays(2), "windows", "kernel", "10.0.22631.3880", i % 3 == 0 ? "eastus" : "westeurope", "pos",
                BugcheckCode: "0xA", FaultingModule: new ModuleRef("old.sys"), Modules: modules));
            if (i < 60)
            {
                exposed[h.Id] = T0;
                if (nvidia) h.Apply(new CrashReported($"new-{i}", h.Id, T0 + TimeSpan.FromHours(1), "windows", "kernel", "10.0.22631.3880", h.Region, "pos",
                    BugcheckCode: "0x116", FaultingModule: new ModuleRef("nvlddmkm.sys"), Modules: modules));
            }
            hosts.Add(h);
        }

        var report = BlastRadius.Of("F-1", "contoso/agent/2.0", ["windows-kernel:0x00000116:nvlddmkm.sys"], exposed, hosts, ["agent.sys"], T0 + TimeSpan.FromHours(2));

        Assert.Equal(15, report.FailingHosts);
        Assert.Equal(45, report.ReferenceHosts);
        Assert.Equal(20, report.NotExposedHosts);
        var top = report.Attributes[0];
        Assert.Equal("module", top.Attribute);
        Assert.StartsWith("nvlddmkm.sys", top.Value);
        Assert.Equal(1.0, top.FailingShare);
        Assert.Equal(0.0, top.ReferenceShare);
        Assert.Equal(5, top.NotYetExposedSharing);
        Assert.True(top.AdjustedPValue < 1e-6);
        Assert.DoesNotContain(report.Attributes, a => a.Value.StartsWith("agent.sys@", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Attributes, a => a.Attribute == "region");
        Assert.NotNull(report.Profile);
        Assert.Equal(5, report.Profile!.NotYetExposedSharing);
    }
}
