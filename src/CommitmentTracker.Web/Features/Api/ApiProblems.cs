using CommitmentTracker.Domain;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using ValidationException = FluentValidation.ValidationException;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>
/// RFC 7807 problem details for every error of the API: the one place that maps what the services throw to a status
/// (the API's counterpart of <c>Components/Shared/Commands.Classify</c>), and a middleware that also gives a body to
/// errors nothing wrote one for (an unknown route, a body that is not JSON), instead of the app's HTML not-found page.
/// </summary>
public static partial class ApiProblems
{
    /// <summary>The status an exception of a service stands for, with its title; null for a fault of ours.</summary>
    public static (int Status, string Title)? StatusOf(Exception exception, bool hadIfMatch) => exception switch
    {
        ValidationException => (StatusCodes.Status400BadRequest, "The request is not valid"),
        BadHttpRequestException bad => (bad.StatusCode, "The request could not be read"),
        PreconditionRequiredException => (StatusCodes.Status428PreconditionRequired, "If-Match is required"),
        RecordNotFoundException => (StatusCodes.Status404NotFound, "Not found"),
        AccessDeniedException => (StatusCodes.Status403Forbidden, "Not allowed"),
        AccessChangedException => (StatusCodes.Status401Unauthorized, "Your access changed"),
        // A version the caller quoted is stale: 412; without one (a create that met a concurrent change): 409.
        ConcurrencyConflictException => hadIfMatch
            ? (StatusCodes.Status412PreconditionFailed, "The record changed since you read it")
            : (StatusCodes.Status409Conflict, "A concurrent change got there first"),
        DomainException => (StatusCodes.Status409Conflict, "The record's rules do not allow this"),
        _ when DatabaseAvailability.IsUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, "The database is not available right now"),
        _ => null,
    };

    /// <summary>Writes a problem details response.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string? detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = TypeOf(status) };
        foreach (var (key, value) in extensions ?? new Dictionary<string, object?>())
            problem.Extensions[key] = value;
        return WriteAsync(context, problem);
    }

    private static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? 500;
        context.Response.Headers.CacheControl = "no-store";
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }

    /// <summary>The RFC 9110 section of a status, as the problem's type.</summary>
    public static string TypeOf(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        405 => "https://tools.ietf.org/html/rfc9110#section-15.5.6",
        409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        428 => "https://tools.ietf.org/html/rfc6585#section-3",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
    };

    /// <summary>A JSON field name for a validator's property path ("NewContacts[0].Name" → "newContacts[0].name").</summary>
    public static string FieldName(string propertyName) =>
        string.Join('.', propertyName.Split('.').Select(part => part.Length == 0 ? part : char.ToLowerInvariant(part[0]) + part[1..]));

    /// <summary>
    /// For requests under /api: turns what an endpoint threw into problem details, gives a problem body to any error
    /// response without one, and keeps the app's HTML status pages away. Faults of ours are logged with a reference.
    /// </summary>
    public static IApplicationBuilder UseApiProblems(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiProblems).FullName!);
        return app.UseWhen(context => context.Request.Path.StartsWithSegments(ApiRoutes.Root), branch => branch.Use(async (context, next) =>
        {
            if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
                statusPages.Enabled = false;
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
            {
                context.Response.Clear();
                await WriteExceptionAsync(context, ex, logger);
                return;
            }
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted
                && context.Response.ContentLength is null && string.IsNullOrEmpty(context.Response.ContentType))
            {
                var status = context.Response.StatusCode;
                await WriteAsync(context, status, ReasonOf(status), DetailOf(status));
            }
        }));
    }

    private static async Task WriteExceptionAsync(HttpContext context, Exception exception, ILogger logger)
    {
        var hadIfMatch = context.Request.Headers.IfMatch.Count > 0;
        if (exception is ValidationException validation)
        {
            var errors = validation.Errors
                .GroupBy(e => FieldName(e.PropertyName))
                .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
            var problem = new HttpValidationProblemDetails(errors)
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request is not valid",
                Detail = string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct()),
                Type = TypeOf(400),
            };
            await WriteAsync(context, problem);
            return;
        }
        if (StatusOf(exception, hadIfMatch) is { } known)
        {
            if (known.Status == StatusCodes.Status503ServiceUnavailable)
            {
                LogUnavailable(logger, context.Request.Path, exception.GetBaseException().Message);
                context.Response.Headers.RetryAfter = DatabaseUnavailablePage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await WriteAsync(context, known.Status, known.Title, DatabaseAvailability.MessageFor(exception));
                return;
            }
            await WriteAsync(context, known.Status, known.Title, exception.Message);
            return;
        }
        var reference = Components.Shared.Commands.NewReference();
        LogFault(logger, exception, context.Request.Method, context.Request.Path, reference);
        await WriteAsync(context, StatusCodes.Status500InternalServerError, "Something went wrong on our side",
            $"Nothing was changed by this request unless it says otherwise. Quote reference {reference} when you report it.",
            new Dictionary<string, object?> { ["reference"] = reference });
    }

    private static string ReasonOf(int status) => status switch
    {
        404 => "Not found",
        405 => "Method not allowed",
        415 => "Unsupported media type",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };

    private static string? DetailOf(int status) => status switch
    {
        404 => "There is no such endpoint or record. The endpoints are listed at /openapi/v1.json.",
        405 => "This endpoint does not take that method.",
        415 => "Send the body as JSON (Content-Type: application/json).",
        400 => "The request could not be read: check that the body is valid JSON with the documented fields and values.",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in API request {Method} {Path} (reference {ErrorReference})")]
    private static partial void LogFault(ILogger logger, Exception exception, string method, string path, string errorReference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} answered 503: the database is unavailable ({Reason}).")]
    private static partial void LogUnavailable(ILogger logger, string path, string reason);
}
