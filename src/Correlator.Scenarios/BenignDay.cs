namespace Correlator.Scenarios;

/// <summary>A busy ordinary day: background crashes, blips and plenty of harmless updates; nobody is to blame.</summary>
public static class BenignDay
{
    public static Scenario Generate(string name, int seed, int variant)
    {
        var (start, scale) = variant switch
        {
            1 => (Ordinary.At(8, 13, 6), 0.5),
            2 => (Ordinary.At(8, 21, 0), 0.7),
            _ => (Ordinary.At(9, 26, 0), 0.35),
        };
        var b = Ordinary.Begin(seed, start, start + TimeSpan.FromHours(34), scale);
        var d = (double h) => start + TimeSpan.FromHours(h);
        var what = new List<string>();
        switch (variant)
        {
            case 1:
                BenignUpdates.PatchTuesday(b, 2, d(11), d(14), d(30), 0.85);
                BenignUpdates.Chrome(b, "127.0.6533.100", d(12), d(13), d(34));
                what.Add("the August Patch Tuesday cumulative updates, Chrome 127");
                break;
            case 2:
                BenignUpdates.LinuxKernels(b, 2, d(2), d(6), d(20), null, 0.8);
                BenignUpdates.FalconSensor(b, "7.17.18721.0", d(9), d(10), d(30), 0.7);
                BenignUpdates.FalconContent(b, "C-00000291-00000000-00000047", d(15));
                BenignUpdates.FalconContent(b, "C-00000285-00000000-00000210", d(22));
                what.Add("Linux kernel errata, a Falcon sensor update and two channel files");
                break;
            default:
                BenignUpdates.FalconSensorLinux(b, "7.17.17105", d(3), d(4), d(28));
                BenignUpdates.Chrome(b, "129.0.6668.71", d(5), d(6), d(34));
                BenignUpdates.ConfigChange(b, "microsoft/azure-storage/config-2024-09-26-weu", "Microsoft", "Azure Storage", d(20), ["westeurope"], ["Azure Storage"]);
                what.Add("a Falcon Linux sensor, Chrome 129 and an Azure Storage configuration change in westeurope");
                break;
        }
        what.Add("Defender definitions every few hours and internal deploys");
        return Ordinary.Finish(b, name,
            $"An ordinary 34 hours on {b.Fleet.Hosts.Count} hosts from {start:yyyy-MM-dd HH:mm}Z: background crashes (including a few hosts with failing " +
            $"hardware that crash repeatedly), a few benign status blips, and {string.Join("; ", what)}. Correct conclusion: no culprits.",
            noise: variant == 2 ? 1.5 : 1.0);
    }
}
