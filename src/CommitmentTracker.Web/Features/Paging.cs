namespace CommitmentTracker.Web.Features;

/// <summary>A page of rows and the total count behind it, for server-side paged lists.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int TotalCount);

/// <summary>Paging and sorting asked for by a list.</summary>
public sealed record PageRequest(int PageIndex = 0, int PageSize = 25, string? SortBy = null, bool Descending = false)
{
    public int Skip => (int)Math.Min(int.MaxValue, (long)Math.Max(0, PageIndex) * Take);
    public int Take => Math.Clamp(PageSize, 1, 200);
}
