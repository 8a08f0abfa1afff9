using System.Net;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CommitmentTracker.Web.Tests.Features.Api;

/// <summary>The generated OpenAPI document parses without errors, describes every endpoint, and the reference page is served under a CSP that lets it run.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiDocumentTests(ApiHost host)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Every operation of the API, as "METHOD path".</summary>
    public static readonly string[] Operations =
    [
        "GET /api/v1/deals", "POST /api/v1/deals", "GET /api/v1/deals/{id}", "PUT /api/v1/deals/{id}", "POST /api/v1/deals/{id}/stage",
        "GET /api/v1/promises", "GET /api/v1/promises/{id}", "POST /api/v1/deals/{dealId}/promises", "POST /api/v1/promises/{id}/renegotiation",
        "POST /api/v1/promises/{id}/waiver", "GET /api/v1/promises/{id}/risk",
        "GET /api/v1/promises/{promiseId}/milestones", "POST /api/v1/promises/{promiseId}/milestones", "GET /api/v1/milestones/{id}",
        "GET /api/v1/milestones/{id}/updates", "POST /api/v1/milestones/{id}/updates",
        "GET /api/v1/accounts", "GET /api/v1/accounts/{id}", "GET /api/v1/accounts/{id}/contacts/{contactId}", "POST /api/v1/accounts/{id}/contacts",
        "PUT /api/v1/accounts/{id}/contacts/{contactId}",
        "GET /api/v1/deals/{dealId}/communications", "POST /api/v1/deals/{dealId}/communications", "GET /api/v1/communications/{id}",
        "POST /api/v1/communications/{id}/corrections",
        "GET /api/v1/recovery-plans", "GET /api/v1/recovery-plans/{id}",
    ];

    [Fact]
    public async Task The_document_parses_without_errors_and_lists_every_endpoint_with_the_bearer_scheme()
    {
        using var client = host.Client();
        var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync(Cancel);

        var result = OpenApiDocument.Parse(json, "json", new OpenApiReaderSettings());

        Assert.NotNull(result.Document);
        Assert.Empty(result.Diagnostic?.Errors ?? []);
        var document = result.Document!;
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => $"{o.Key.Method.ToUpperInvariant()} {p.Key}")).ToHashSet();
        Assert.Empty(Operations.Except(operations));
        Assert.DoesNotContain(operations, o => !o.Contains(" /api/v1/", StringComparison.Ordinal)); // pages and identity endpoints stay out
        Assert.True(document.Components!.SecuritySchemes!.ContainsKey("Bearer"));
    }

    [Fact]
    public async Task The_reference_page_is_served_and_only_its_path_relaxes_the_script_policy()
    {
        using var client = host.Client();

        var page = await client.GetAsync(new Uri("/api/reference", UriKind.Relative), Cancel);
        if (page.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently)
        {
            // Scalar sends the bare path on to its own (a trailing slash or the document's name), still under /api/reference.
            var target = new Uri(page.RequestMessage!.RequestUri!, page.Headers.Location!);
            Assert.StartsWith("/api/reference", target.AbsolutePath, StringComparison.Ordinal);
            page = await client.GetAsync(new Uri(target.PathAndQuery, UriKind.Relative), Cancel);
        }
        var signIn = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("openapi", html, StringComparison.Ordinal);
        // Its script is served from this site, which the policy's 'self' allows.
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]*src=\"(?<src>[^\"]+)\"").Groups["src"].Value;
        Assert.False(string.IsNullOrEmpty(script), html);
        var scriptUri = new Uri(new Uri("http://localhost" + page.RequestMessage!.RequestUri!.AbsolutePath), script);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(scriptUri.PathAndQuery, UriKind.Relative), Cancel)).StatusCode);
        Assert.Contains("'unsafe-inline'", ScriptPolicy(page), StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", ScriptPolicy(signIn), StringComparison.Ordinal);
    }

    private static string ScriptPolicy(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal));
}
