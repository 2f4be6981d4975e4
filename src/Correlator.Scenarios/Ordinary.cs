namespace Correlator.Scenarios;

/// <summary>The common frame of a scenario: a fleet, everyday change traffic, background crashes and status heartbeats.</summary>
internal static class Ordinary
{
    public static DateTimeOffset At(int month, int day, int hour, int minute = 0) => new(2024, month, day, hour, minute, 0, TimeSpan.Zero);

    public static ScenarioBuilder Begin(int seed, DateTimeOffset start, DateTimeOffset end, double scale, IEnumerable<FleetSpec>? fleets = null, int level = 1)
    {
        var b = new ScenarioBuilder(seed, start, end);
        b.Fleet = Fleet.Build(b.Rng, fleets ?? StandardFleets.All, scale, level);
        BenignUpdates.Everyday(b);
        return b;
    }

    /// <summary>Adds background crashes and status observations (call after every installation that changes versions).</summary>
    public static Scenario Finish(ScenarioBuilder b, string name, string description, IReadOnlyList<Degradation>? degradations = null, double noise = 1.0)
    {
        BackgroundNoise.Add(b, noise);
        ServiceStatusFeed.Add(b, ServiceStatusFeed.Standard(), degradations ?? [], heartbeatMinutes: (b.End - b.Start).TotalDays > 3 ? 60 : 40);
        return b.Build(name, description);
    }

    /// <summary>Gives hosts a third-party module (an agent's driver) at a baseline version.</summary>
    public static void Equip(IEnumerable<Host> hosts, string module, string version)
    {
        foreach (var h in hosts) h.Modules[module] = version;
    }
}
