using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.WebUtilities;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>A page of a list: the rows, where it stands, the total, and the link to the next page (null on the last).</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total, string? Next);

/// <summary>Paging and sorting of list endpoints: page from 1, pageSize up to <see cref="MaxPageSize"/>, sort by a listed field (prefix - for descending).</summary>
public static class ApiPaging
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>The service's page request for the query; an unknown sort field or a page below 1 is a 400 naming the parameter.</summary>
    public static PageRequest Request(int? page, int? pageSize, string? sort, IReadOnlyCollection<string> sortable)
    {
        var failures = new List<ValidationFailure>();
        if (page is < 1)
            failures.Add(new ValidationFailure("page", "Pages are counted from 1."));
        if (pageSize is < 1)
            failures.Add(new ValidationFailure("pageSize", $"Ask for 1 to {MaxPageSize} rows per page."));
        string? field = null;
        var descending = false;
        if (!string.IsNullOrWhiteSpace(sort))
        {
            descending = sort.StartsWith('-');
            field = sort.TrimStart('-', '+');
            if (!sortable.Contains(field))
                failures.Add(new ValidationFailure("sort", $"Sort by one of: {string.Join(", ", sortable)} (prefix - for descending)."));
        }
        if (failures.Count > 0)
            throw new ValidationException(failures);
        return new PageRequest((page ?? 1) - 1, Math.Min(pageSize ?? DefaultPageSize, MaxPageSize), field, descending);
    }

    /// <summary>The page as the API returns it, with the link to the next page when there is one.</summary>
    public static ApiPage<T> Of<T>(HttpContext context, PageRequest request, IReadOnlyList<T> items, int total)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var page = request.PageIndex + 1;
        string? next = null;
        if ((long)page * request.Take < total)
        {
            var query = context.Request.Query.Where(q => q.Key is not "page")
                .SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)))
                .Append(new KeyValuePair<string, string?>("page", (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            next = QueryHelpers.AddQueryString(context.Request.PathBase + context.Request.Path, query);
        }
        return new ApiPage<T>(items, page, request.Take, total, next);
    }
}
