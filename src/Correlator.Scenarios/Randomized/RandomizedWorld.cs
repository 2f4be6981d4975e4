namespace Correlator.Scenarios;

/// <summary>A host of a randomized world. <see cref="Skew"/> is how far its clock is off (its crash reports carry true time + skew).</summary>
internal sealed record RHost(string Id, string Fleet, string Region, string Platform, string OsVersion, TimeSpan Skew, TimeSpan? Offset);

internal sealed record RFleet(string Name, string Platform, IReadOnlyList<string> Regions, IReadOnlyList<string> OsVersions, List<RHost> Hosts);

/// <summary>A service in a region, as its status source reports it: sampled every <see cref="Interval"/>, or transitions only.</summary>
internal sealed record RServiceRegion(string Service, string Region, bool TransitionsOnly, TimeSpan Interval);

/// <summary>
/// The fleets, regions and services of one randomized scenario and the seeded random draws everything else uses.
/// Written apart from <see cref="ScenarioBuilder"/>/<see cref="Fleet"/> on purpose: the randomized evaluation must not
/// share the hand-written generators' mechanics.
/// </summary>
internal sealed class RandomizedWorld
{
    public RandomizedWorld(int seed, DateTimeOffset start, TimeSpan length)
    {
        Rng = new Random(seed);
        Seed = seed;
        Start = start;
        End = start + length;
    }

    public Random Rng { get; }
    public int Seed { get; }
    public DateTimeOffset Start { get; }
    public DateTimeOffset End { get; set; }
    public List<string> Regions { get; } = [];
    public List<RFleet> Fleets { get; } = [];
    public List<RHost> Hosts { get; } = [];
    public List<RServiceRegion> Services { get; } = [];

    public double U(double a, double b) => a + Rng.NextDouble() * (b - a);
    public int Int(int a, int bInclusive) => Rng.Next(a, bInclusive + 1);
    public bool Chance(double p) => Rng.NextDouble() < p;
    public T Pick<T>(IReadOnlyList<T> items) => items[Rng.Next(items.Count)];
    public TimeSpan Minutes(double a, double b) => TimeSpan.FromMinutes(U(a, b));
    public TimeSpan Hours(double a, double b) => TimeSpan.FromHours(U(a, b));
    public DateTimeOffset Between(DateTimeOffset a, DateTimeOffset b) => a + TimeSpan.FromSeconds(Math.Floor(Rng.NextDouble() * Math.Max(0, (b - a).TotalSeconds)));
    public TimeSpan Exponential(TimeSpan mean) => TimeSpan.FromSeconds(-Math.Log(1 - Rng.NextDouble()) * mean.TotalSeconds);

    /// <summary>Log-normal with the given median and log-space standard deviation.</summary>
    public TimeSpan LogNormal(TimeSpan median, double sigma)
    {
        var z = Math.Sqrt(-2 * Math.Log(1 - Rng.NextDouble())) * Math.Cos(2 * Math.PI * Rng.NextDouble());
        return TimeSpan.FromSeconds(median.TotalSeconds * Math.Exp(sigma * z));
    }

    public List<T> Sample<T>(IReadOnlyList<T> items, int count)
    {
        var copy = items.ToList();
        for (var i = copy.Count - 1; i > 0; i--)
        {
            var j = Rng.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy.Take(Math.Min(count, copy.Count)).ToList();
    }

    public T PickWeighted<T>(params (T Item, double Weight)[] weighted)
    {
        var x = Rng.NextDouble() * weighted.Sum(w => w.Weight);
        foreach (var (item, weight) in weighted)
        {
            if (x < weight) return item;
            x -= weight;
        }
        return weighted[^1].Item;
    }

    /// <summary>Draws regions, fleets (platform, regions, OS builds, size, clock skew) and the services' status sources.</summary>
    public void Populate(bool longWindow = false)
    {
        Regions.AddRange(Sample(RandomizedCatalog.Regions, Int(3, 6)));
        var fleetCount = Int(2, 5);
        var names = Sample(RandomizedCatalog.FleetNames, fleetCount);
        var budget = Int(250, 1400);
        for (var f = 0; f < fleetCount; f++)
        {
            var platform = f == 0 ? "windows" : f == 1 ? "linux" : Chance(0.6) ? "windows" : "linux";
            var regions = Sample(Regions, Int(1, Regions.Count));
            var builds = Sample(platform == "windows" ? RandomizedCatalog.WindowsBuilds : RandomizedCatalog.LinuxKernels, Int(1, 3));
            // One fleet in four is small (a dozen to a few dozen hosts): tiny counts must still be attributable.
            var size = Chance(0.25) ? Int(10, 40) : Math.Max(20, (int)(budget / (double)fleetCount * U(0.5, 1.5)));
            var fleet = new RFleet(names[f], platform, regions, builds, []);
            var prefix = RandomizedCatalog.HostPrefix(names[f]);
            for (var i = 0; i < size; i++)
            {
                var skew = Chance(0.06) ? -Minutes(1, 90) : Chance(0.02) ? Minutes(0.5, 5) : TimeSpan.Zero;
                TimeSpan? offset = Chance(0.15) ? TimeSpan.FromHours(Pick(RandomizedCatalog.Offsets)) : null;
                var host = new RHost($"{prefix}{Seed % 97:00}-{i:0000}", fleet.Name, Pick(regions), platform, Pick(builds), skew, offset);
                fleet.Hosts.Add(host);
                Hosts.Add(host);
            }
            Fleets.Add(fleet);
        }
        var style = PickWeighted(("sampled", 0.4), ("transitions", 0.3), ("mixed", 0.3));
        foreach (var service in Sample(RandomizedCatalog.Services, Int(3, 6)))
            foreach (var region in Sample(Regions, Int(1, Math.Min(4, Regions.Count))))
            {
                var transitions = style == "transitions" || (style == "mixed" && Chance(0.5));
                var interval = TimeSpan.FromMinutes(Math.Max(longWindow ? 20 : 0, Pick(RandomizedCatalog.SampleMinutes)));
                Services.Add(new RServiceRegion(service, region, transitions, interval));
            }
    }

    private readonly List<string> _updateIds = [];

    /// <summary>An update id not used yet in this scenario (a suffix when the draw repeats one).</summary>
    public string Unique(string updateId)
    {
        var id = updateId;
        for (var n = 2; _updateIds.Contains(id); n++) id = $"{updateId}-{n}";
        _updateIds.Add(id);
        return id;
    }

    public IEnumerable<RFleet> FleetsOf(string platform) => Fleets.Where(f => f.Platform == platform);
}
