using System.Security.Cryptography;
using Microsoft.AspNetCore.CookiePolicy;

namespace CommitmentTracker.Web.Security;

/// <summary>
/// The headers that tell the browser what this site may do, on every response (also error and not-found pages):
/// a Content-Security-Policy whose scripts are this site's files or carry the response's nonce (never inline script
/// without one), no MIME sniffing, no referrer to other sites, no framing. Cookies are Secure when the request came
/// over HTTPS. See docs/decisions/0018-security-headers-and-production-pipeline.md.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "ct-csp-nonce";

    /// <summary>
    /// The policy. MudBlazor writes style attributes and a theme &lt;style&gt; element at run time, so styles need
    /// 'unsafe-inline' (a style cannot run code). Scripts: this site's files, plus the one inline script the framework
    /// renders (the import map), which carries the nonce. connect-src 'self' covers the circuit's WebSocket.
    /// </summary>
    public static string PolicyFor(string nonce, bool https) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'none'" +
        (https ? "; upgrade-insecure-requests" : "");

    /// <summary>
    /// The API reference page (Scalar, <c>Features/Api</c>) starts itself with an inline module script that cannot carry our
    /// nonce, so on that path alone scripts may be inline; the page shows no user data and loads nothing from elsewhere.
    /// </summary>
    public static string ReferencePagePolicyFor(string nonce, bool https) =>
        PolicyFor(nonce, https).Replace($"script-src 'self' 'nonce-{nonce}'", "script-src 'self' 'unsafe-inline'", StringComparison.Ordinal);

    /// <summary>The path of the API reference page, the one place <see cref="ReferencePagePolicyFor"/> applies.</summary>
    public const string ReferencePagePath = "/api/reference";

    /// <summary>The nonce of this response's Content-Security-Policy, for the inline scripts the page must render.</summary>
    public static string CspNonce(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items[NonceKey] is not string nonce)
        {
            nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            context.Items[NonceKey] = nonce;
        }
        return nonce;
    }

    /// <summary>Adds the headers to every response and makes cookies Secure over HTTPS. First in the pipeline.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use((context, next) =>
        {
            // At OnStarting, not now: the exception handler clears the headers before it renders the error page.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ReferencePagePath)
                    ? ReferencePagePolicyFor(context.CspNonce(), context.Request.IsHttps)
                    : PolicyFor(context.CspNonce(), context.Request.IsHttps);
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                headers.Remove("Server");
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app.UseCookiePolicy(new CookiePolicyOptions
        {
            Secure = CookieSecurePolicy.SameAsRequest,
            MinimumSameSitePolicy = SameSiteMode.Lax,
            HttpOnly = HttpOnlyPolicy.None,
        });
    }
}
