namespace Correlator.Api;

/// <summary>The answer of <c>GET /api/services/{service}/{region}</c>: every observation, and the changes of status among them.</summary>
public sealed record ServiceReport(
    string Service,
    string Region,
    string Status,
    IReadOnlyList<StatusObservation> Changes,
    IReadOnlyList<StatusObservation> Observations)
{
    public static ServiceReport From(ServiceStatusHistory h)
    {
        var observations = h.Observations.OrderBy(o => o.ObservedAt).ToList();
        var changes = new List<StatusObservation>();
        foreach (var o in observations)
            if (changes.Count == 0 || changes[^1].Status != o.Status) changes.Add(o);
        return new ServiceReport(h.Service, h.Region, observations.Count > 0 ? observations[^1].Status : "unknown", changes, observations);
    }
}
