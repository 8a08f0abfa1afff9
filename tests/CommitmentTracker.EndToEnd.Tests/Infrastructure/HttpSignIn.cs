using System.Net;
using System.Text.RegularExpressions;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>Signs in over plain HTTP (the static login form with its antiforgery token), for tests of responses.</summary>
public static partial class HttpSignIn
{
    /// <summary>A client with its own cookies; redirects are not followed, so tests see them.</summary>
    public static HttpClient CreateClient(this AppHost app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = app.BaseAddress,
        };
    }

    /// <summary>Posts the login form; returns the response (a redirect when signed in).</summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(this HttpClient client, string email, string password, string? returnUrl = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var cancellationToken = TestContext.Current.CancellationToken;
        var path = "Account/Login" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        var form = await client.GetStringAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var token = AntiforgeryToken().Match(form);
        Assert.True(token.Success, "The login page has no antiforgery token.");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken);
    }

    /// <summary>A client signed in as the user (asserts that the sign-in succeeded).</summary>
    public static async Task<HttpClient> SignedInClientAsync(this AppHost app, string email)
    {
        var client = app.CreateClient();
        using var response = await client.PostLoginAsync(email, DemoUsers.Password);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.DoesNotContain("Account/", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        return client;
    }

    [GeneratedRegex("""name="__RequestVerificationToken" value="(?<value>[^"]+)" """, RegexOptions.None)]
    private static partial Regex AntiforgeryToken();
}
