namespace CommitmentTracker.Web.Persistence;

/// <summary>Turns a request that failed because the database cannot be reached into a friendly 503 page with Retry-After.</summary>
public static partial class DatabaseUnavailablePage
{
    /// <summary>Seconds the browser (or a proxy) is asked to wait before trying again.</summary>
    public const int RetryAfterSeconds = 5;

    private const string Html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta http-equiv="refresh" content="10">
          <title>CommitmentTracker is briefly unavailable</title>
          <style>
            body { font-family: Roboto, Helvetica, Arial, sans-serif; background: #f5f5f5; color: #333; margin: 0; }
            main { max-width: 36rem; margin: 15vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.15); }
            h1 { font-size: 1.4rem; margin-top: 0; }
            a { color: #594ae2; }
          </style>
        </head>
        <body>
          <main>
            <h1>The database is not available right now</h1>
            <p>CommitmentTracker cannot reach its database at the moment. Nothing you saved earlier is lost.</p>
            <p>This page tries again by itself every few seconds; you can also <a href="">try again now</a>.</p>
          </main>
        </body>
        </html>
        """;

    /// <summary>Adds the middleware; put it first in the pipeline so it answers before the developer or generic error page.</summary>
    public static IApplicationBuilder UseDatabaseUnavailablePage(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseUnavailablePage).FullName!);
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (DatabaseAvailability.IsUnavailable(ex) && !context.Response.HasStarted)
            {
                LogUnavailable(logger, context.Request.Path, ex.GetBaseException().Message);
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers.CacheControl = "no-store";
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(Html, context.RequestAborted);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} answered 503: the database is unavailable ({Reason}).")]
    private static partial void LogUnavailable(ILogger logger, string path, string reason);
}
