using Correlator.Findings;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Correlator.Api;

public static class GetOverview
{
    public static (DateTimeOffset? From, DateTimeOffset? To, List<string> Errors) Parse(string? from, string? to)
    {
        var errors = new List<string>();
        var (f, t) = (FindingsFilter.Time(from, "from", errors), FindingsFilter.Time(to, "to", errors));
        if (f is { } a && t is { } b)
        {
            if (b <= a) errors.Add("to must be after from.");
            else if (b - a > OverviewReport.MaxWindow) errors.Add($"the window is at most {OverviewReport.MaxWindow.TotalDays:0} days (from to to).");
        }
        return (f, t, errors);
    }

    public static ProblemDetails Validate(string? from, string? to)
    {
        var errors = Parse(from, to).Errors;
        return errors.Count == 0 ? Problems.None : Problems.BadRequest(errors);
    }

    /// <summary>
    /// One timeline of every finding failing between <c>from</c> and <c>to</c> (event time; by default from an hour before the
    /// first failure to an hour after the engine's last change of a finding, at most 7 days): crashes per minute by finding and the spans its
    /// service regions were degraded, its release, recall, detection and closing,
    /// and crashes and degraded services per region wherever two findings overlap in time.
    /// </summary>
    [WolverineGet("/api/overview", OperationId = "getOverview"), Authorize(Policy = ApiPolicies.Read), Tags("Findings"), EndpointSummary("One timeline of every finding in a window")]
    public static async Task<OverviewReport> Get(string? from, string? to, IQuerySession session, CancellationToken ct)
    {
        var (f, t, _) = Parse(from, to);
        var findings = await session.Query<FindingView>().ToListAsync(ct);
        if (f is null || t is null)
        {
            var starts = findings.Select(v => v.Current.FirstFailureAt).ToList();
            var ends = findings.Select(OverviewReport.LastEngineChange).ToList();
            var start = f ?? (starts.Count > 0 ? starts.Min() - OverviewReport.Margin : (t ?? DateTimeOffset.UnixEpoch) - TimeSpan.FromDays(1));
            var end = t ?? (ends.Count > 0 ? ends.Max() + OverviewReport.Margin : start + TimeSpan.FromDays(1));
            if (end <= start) end = start + OverviewReport.Margin;
            if (end - start > OverviewReport.MaxWindow) { if (f is null) start = end - OverviewReport.MaxWindow; else end = start + OverviewReport.MaxWindow; }
            (f, t) = (start, end);
        }
        var signatures = findings.SelectMany(v => v.Current.Signatures.Select(s => s.Signature)).Distinct(StringComparer.Ordinal).ToList();
        var (first, last) = (SignatureDay.DayOf(f.Value), t.Value);
        var days = signatures.Count == 0 ? [] : await session.Query<SignatureDay>()
            .Where(d => d.Day >= first && d.Day < last && d.Signature.IsOneOf(signatures)).ToListAsync(ct);
        var updateIds = findings.Select(v => v.Current.UpdateId).Distinct(StringComparer.Ordinal).ToArray();
        var updates = updateIds.Length == 0 ? [] : await session.LoadManyAsync<UpdateImpact>(ct, updateIds);
        var services = new List<ServiceStatusHistory>();
        foreach (var (service, region) in findings.SelectMany(v => v.Current.Services).Select(s => (s.Service, s.Region)).Distinct())
            if (await GetService.LoadAsync(service, region, session, ct) is { } history) services.Add(history);
        return OverviewReport.Build(f.Value, t.Value, findings, updates.ToDictionary(u => u.Id, StringComparer.Ordinal), days, services);
    }
}
