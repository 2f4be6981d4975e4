namespace Correlator.Api;

/// <summary>Page numbers start at 1; a page holds 1 to 500 items.</summary>
public sealed record Paging(int Page, int PageSize)
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    public int Skip => (Page - 1) * PageSize;

    public static Paging Parse(int? page, int? pageSize, List<string> errors)
    {
        if (page is < 1) errors.Add("page must be 1 or more.");
        if (pageSize is < 1 or > MaxSize) errors.Add($"pageSize must be between 1 and {MaxSize}.");
        var paging = new Paging(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultSize, 1, MaxSize));
        // (page - 1) × pageSize must fit the OFFSET (an int): beyond it the product wraps negative.
        var last = int.MaxValue / paging.PageSize;
        if (paging.Page > last) errors.Add($"page must be at most {last} with pageSize {paging.PageSize}.");
        return paging.Page > last ? paging with { Page = last } : paging;
    }
}

public sealed record Paged<T>(IReadOnlyList<T> Items, long Total, int Page, int PageSize);
