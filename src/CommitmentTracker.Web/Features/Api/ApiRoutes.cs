using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>
/// The REST API: /api/v1 over the same services, validators and access rules as the pages, for personal API tokens only
/// (no cookie, so no antiforgery), with its OpenAPI document (/openapi/v1.json) and a reference page (/api/reference).
/// See docs/decisions/0034-rest-api-on-the-feature-services.md.
/// </summary>
public static class ApiRoutes
{
    public const string Root = "/api";
    public const string V1 = "/api/v1";
    public const string Reference = Security.SecurityHeaders.ReferencePagePath;
    public const string Document = "/openapi/v1.json";

    /// <summary>The API's policy: signed in by an API token, whatever cookie the browser may also send.</summary>
    public const string Policy = "ApiToken";

    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "CommitmentTracker API",
                    Version = "v1",
                    Description = "Deals, promises, milestones, accounts, communications, risk and recovery plans, with the access of the token's user. "
                        + "Authenticate with a personal API token (My settings › API tokens): Authorization: Bearer ct_…. "
                        + "Reads return an ETag; every change of an existing record needs If-Match with it (428 without, 412 when stale). Errors are RFC 7807 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "ct_ personal API token",
                    Description = "A personal API token from My settings › API tokens.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Maps the API, its document and its reference page.</summary>
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(V1)
            .RequireAuthorization(Policy)
            .DisableAntiforgery()
            .AddEndpointFilter(ApiCaller.Filter)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        api.MapDeals();
        api.MapPromises();
        api.MapMilestones();
        api.MapAccounts();
        api.MapCommunications();
        api.MapRecoveryPlans();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference(Reference, options => options
            .WithTitle("CommitmentTracker API")
            .DisableDefaultFonts() // no font requests to another site: the page stays within the CSP's 'self'
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .AllowAnonymous();
        // Anything else under /api is a 404 problem, not the app's HTML not-found page.
        app.Map(Root + "/{**rest}", (HttpContext http) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
            detail: "There is no such endpoint. The endpoints are listed at " + Document + ".", type: ApiProblems.TypeOf(404)))
            .ExcludeFromDescription().AllowAnonymous();
        return app;
    }
}
