namespace CommitmentTracker.Web.Features.Calendar;

/// <summary>Serves the calendar feeds: <c>GET /calendar/{token}.ics</c>, no sign-in (the token is the secret).</summary>
public static class CalendarEndpoints
{
    public static IEndpointRouteBuilder MapCalendarFeeds(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/" + CalendarFeedService.PathPrefix + "{token}.ics", async (string token, CalendarFeedService feeds, HttpContext http, CancellationToken cancellationToken) =>
        {
            var ics = await feeds.RenderAsync(token, cancellationToken);
            if (ics is null)
                return Results.NotFound();
            // A secret address: nothing in between may keep a copy, nor the address leak as a referrer.
            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Text(ics, "text/calendar; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }
}
