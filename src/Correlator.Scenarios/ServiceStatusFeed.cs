namespace Correlator.Scenarios;

/// <summary>One monitored service in one region, and who reports on it.</summary>
public sealed record ServiceSeries(string Service, string Region, string Source);

/// <summary>A service degradation: the status climbs to <see cref="Peak"/> and falls back to operational at <see cref="To"/>.</summary>
public sealed record Degradation(string Service, string Region, DateTimeOffset From, DateTimeOffset To, string Peak, string Message);

/// <summary>
/// Status-page and probe observations: operational heartbeats about every half hour, frequent updates during a
/// degradation, and occasional benign blips (a few minutes degraded) and maintenance windows.
/// </summary>
public static class ServiceStatusFeed
{
    public static readonly string[] AzureServices =
        ["Azure Virtual Machines", "Azure Storage", "Azure SQL Database", "Azure Cosmos DB", "Azure App Service", "Microsoft 365"];

    public static readonly string[] Regions = ["eastus", "centralus", "westeurope", "southeastasia"];

    public static IReadOnlyList<ServiceSeries> Standard()
    {
        var series = new List<ServiceSeries>();
        foreach (var service in AzureServices)
            foreach (var region in Regions)
                series.Add(new(service, region, service == "Microsoft 365" ? "m365-service-health" : "azure-status"));
        foreach (var region in new[] { "eastus", "centralus", "westeurope" }) series.Add(new("checkout-api", region, "blackbox-probe"));
        foreach (var region in new[] { "eastus", "westeurope" }) series.Add(new("payments-api", region, "blackbox-probe"));
        foreach (var region in new[] { "centralus", "southeastasia" }) series.Add(new("call-routing", region, "datadog"));
        foreach (var region in Regions) series.Add(new("store-sync", region, "datadog"));
        return series;
    }

    public static void Add(ScenarioBuilder b, IReadOnlyList<ServiceSeries> series, IReadOnlyList<Degradation> degradations,
        double blipsPerDay = 0.04, double heartbeatMinutes = 40)
    {
        var days = (b.End - b.Start).TotalDays;
        foreach (var s in series)
        {
            var mine = degradations.Where(d => d.Service == s.Service && d.Region == s.Region).ToList();
            var blips = new List<(DateTimeOffset From, DateTimeOffset To, string Status)>();
            for (var i = 0; i < Poisson(b.Rng, blipsPerDay * days); i++)
            {
                var from = b.Between(b.Start, b.End);
                blips.Add((from, from + TimeSpan.FromMinutes(b.Rng.Next(4, 14)), "degraded"));
            }
            if (b.Chance() < 0.01 * days)
            {
                var from = b.Between(b.Start, b.End);
                blips.Add((from, from + TimeSpan.FromMinutes(b.Rng.Next(30, 90)), "maintenance"));
            }

            var times = new List<DateTimeOffset>();
            var t = b.Start + TimeSpan.FromMinutes(b.Rng.NextDouble() * heartbeatMinutes);
            while (t < b.End)
            {
                times.Add(t);
                var busy = mine.Any(d => t >= d.From - TimeSpan.FromMinutes(5) && t < d.To);
                t += TimeSpan.FromSeconds(busy ? b.Rng.Next(240, 720) : b.Rng.Next((int)(heartbeatMinutes * 50), (int)(heartbeatMinutes * 70)));
            }
            foreach (var d in mine)
            {
                times.Add(d.From + TimeSpan.FromSeconds(b.Rng.Next(30, 300)));
                times.Add(d.To);
            }
            foreach (var blip in blips)
            {
                times.Add(blip.From);
                times.Add(blip.To);
            }

            foreach (var at in times.Where(b.InWindow).Distinct().Order())
            {
                var d = mine.FirstOrDefault(x => at >= x.From && at < x.To);
                if (d is not null)
                {
                    var p = (at - d.From) / (d.To - d.From);
                    var status = p < 0.08 ? "degraded" : p < 0.85 ? d.Peak : "degraded";
                    var message = p < 0.85 ? d.Message : "Mitigation applied; most customers have recovered. Monitoring.";
                    b.Status(s.Service, s.Region, status, at, s.Source, message);
                    continue;
                }
                var blip = blips.FirstOrDefault(x => at >= x.From && at < x.To);
                if (blip.Status is not null)
                {
                    b.Status(s.Service, s.Region, blip.Status, at, s.Source,
                        blip.Status == "maintenance" ? "Planned maintenance." : "Elevated latency for a subset of requests; investigating.");
                    continue;
                }
                b.Status(s.Service, s.Region, "operational", at, s.Source);
            }
        }
    }

    private static int Poisson(Random rng, double mean)
    {
        var l = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do { k++; p *= rng.NextDouble(); } while (p > l);
        return k - 1;
    }
}
