using System.Globalization;
using Correlator.Correlation;
using Correlator.Ingestion;

namespace Correlator.Api;

/// <summary>The query of <c>GET /api/findings</c>, parsed and checked: pure, so the endpoint and the CLI agree on it.</summary>
public sealed record FindingsFilter(
    string? Status,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? Vendor,
    double? MinConfidence,
    DateTimeOffset? AsOf,
    Paging Paging)
{
    public static readonly string[] Statuses = [FindingStatus.Suspected, FindingStatus.Confirmed, FindingStatus.Dismissed, FindingStatus.Resolved];

    public static (FindingsFilter Filter, List<string> Errors) Parse(string? status, string? from, string? to, string? vendor,
        double? minConfidence, string? asOf, int? page, int? pageSize)
    {
        var errors = new List<string>();
        if (status is not null && !Statuses.Contains(status)) errors.Add($"status must be one of {string.Join(", ", Statuses)}.");
        if (minConfidence is < 0 or > 1 || minConfidence is double.NaN) errors.Add("minConfidence must be between 0 and 1.");
        var filter = new FindingsFilter(status, Time(from, "from", errors), Time(to, "to", errors), vendor, minConfidence,
            Time(asOf, "asOf", errors), Paging.Parse(page, pageSize, errors));
        if (filter is { From: { } f, To: { } t } && f > t) errors.Add("from must not be after to.");
        return (filter, errors);
    }

    public bool Matches(FindingSummary f) =>
        (Status is null || f.Status == Status)
        && (Vendor is null || string.Equals(f.Vendor, Vendor, StringComparison.OrdinalIgnoreCase))
        && (MinConfidence is null || f.Confidence >= MinConfidence)
        && (From is null || f.DetectedAt >= From)
        && (To is null || f.DetectedAt <= To);

    /// <summary>RFC 3339 (<c>2024-07-19T05:00:00Z</c>), or any ISO 8601 form, read as UTC when it has no offset.</summary>
    public static DateTimeOffset? Time(string? text, string name, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (Rfc3339.TryParse(text, out var t) || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t))
            return t.ToUniversalTime();
        errors.Add($"{name} is not a timestamp (use RFC 3339, e.g. 2024-07-19T05:00:00Z).");
        return null;
    }
}
