using CommitmentTracker.Domain;
using System.Net;
using System.Reflection;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// Every role (and a signed-out visitor) against every page of the app, over HTTP: an allowed page answers 200, a
/// forbidden one sends a signed-in user to "No access" and a visitor to the login page. The pages are found by reflection
/// (their @page routes), so a new page without an entry in <see cref="Allowed"/> fails <see cref="Every_page_has_an_entry_in_the_matrix"/>.
/// </summary>
public sealed class RolePageMatrixTests(AppHost app) : IClassFixture<AppHost>
{
    /// <summary>Who may open each page. "Anyone" pages need no sign-in.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["/"] = Roles.All,
        ["/not-found"] = Roles.Anyone,
        ["/Error"] = Roles.Anyone,
        ["/Account/Login"] = Roles.Anyone,
        ["/Account/Lockout"] = Roles.Anyone,
        ["/Account/AccessDenied"] = Roles.Anyone,
        ["/home"] = [AppRoles.Rep, AppRoles.Manager],
        ["/deals"] = [AppRoles.Rep, AppRoles.Manager, AppRoles.Admin],
        ["/deals/new"] = [AppRoles.Rep, AppRoles.Manager],
        ["/deals/{DealId:guid}"] = Roles.All,
        ["/accounts"] = Roles.All,
        ["/accounts/{AccountId:guid}"] = Roles.All,
        ["/search"] = Roles.All,
        ["/import"] = [AppRoles.Rep, AppRoles.Manager, AppRoles.Admin],
        ["/inbox"] = [AppRoles.Rep, AppRoles.Manager],
        ["/approvals"] = [AppRoles.Manager],
        ["/dashboard"] = [AppRoles.Manager, AppRoles.Admin],
        ["/delivery-record"] = [AppRoles.Rep, AppRoles.Manager, AppRoles.Admin],
        ["/shared/record/{Token}"] = Roles.Anyone,
        ["/customer/{Token}"] = Roles.Anyone,
        ["/recovery"] = Roles.All,
        ["/recovery/{PlanId:guid}"] = Roles.All,
        ["/fulfilment"] = [AppRoles.Service, AppRoles.Admin],
        ["/admin/users"] = [AppRoles.Admin],
        ["/admin/checklist"] = [AppRoles.Admin],
        ["/admin/lead-times"] = [AppRoles.Admin],
        ["/admin/milestone-plans"] = [AppRoles.Admin],
        ["/admin/risks"] = [AppRoles.Admin],
        ["/admin/risk-settings"] = [AppRoles.Admin],
        ["/admin/webhooks"] = [AppRoles.Admin],
        ["/admin/working-calendars"] = [AppRoles.Admin],
        ["/settings"] = Roles.All,
        ["/settings/api-tokens"] = Roles.All,
    };

    /// <summary>A demo user per role; "" is a visitor who is not signed in.</summary>
    internal static readonly IReadOnlyDictionary<string, string> UserOf = new Dictionary<string, string>
    {
        [AppRoles.Rep] = DemoUsers.Rep,
        [AppRoles.Manager] = DemoUsers.Manager,
        [AppRoles.Service] = DemoUsers.Service,
        [AppRoles.Admin] = DemoUsers.Admin,
        [""] = "",
    };

    /// <summary>Every routed component of the app, by its template.</summary>
    internal static IReadOnlyList<(string Template, Type Page)> Routes() =>
        [.. typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, t)))
            .OrderBy(r => r.Template, StringComparer.Ordinal)];

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (template, _) in Routes())
            foreach (var role in UserOf.Keys)
                data.Add(role, template);
        return data;
    }

    [Fact]
    public void Every_page_has_an_entry_in_the_matrix()
    {
        var routes = Routes().Select(r => r.Template).ToList();

        Assert.Empty(routes.Except(Allowed.Keys));
        Assert.Empty(Allowed.Keys.Except(routes));
    }

    [Fact]
    public void The_matrix_agrees_with_the_pages_authorize_attributes()
    {
        foreach (var (template, page) in Routes())
        {
            var authorize = page.GetCustomAttributes<AuthorizeAttribute>(inherit: true).ToList();
            var allowed = Allowed[template];
            if (authorize.Count == 0 || page.GetCustomAttributes<AllowAnonymousAttribute>(inherit: true).Any())
            {
                Assert.True(allowed == Roles.Anyone, $"{template} needs no sign-in, but the matrix restricts it.");
                continue;
            }

            var roles = authorize.Where(a => a.Roles is not null).SelectMany(a => a.Roles!.Split(',', StringSplitOptions.TrimEntries)).ToHashSet();
            Assert.Equal(allowed.Order(), (roles.Count == 0 ? Roles.All : [.. roles]).Order());
        }
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_role_opens_the_pages_it_may_and_is_turned_away_from_the_others(string role, string template)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = role.Length == 0 ? app.CreateClient() : await app.SignedInClientAsync(UserOf[role]);
        // Any id will do for the authorization of a page with a parameter; what a record shows is the services' matter.
        var path = template.Replace("{DealId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{PlanId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("{Token}", CommitmentTracker.Domain.ShareToken.New().Token, StringComparison.Ordinal)
            .Replace("{AccountId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal);

        using var response = await client.GetAsync(new Uri(path.TrimStart('/'), UriKind.Relative), cancellationToken);

        var allowed = Allowed[template];
        var location = response.Headers.Location?.ToString() ?? "";
        if (template == CommitmentTracker.Web.Features.DeliveryRecords.SharedRecordService.Route || template == CommitmentTracker.Web.Features.CustomerLinks.CustomerPageService.Route)
        {
            // The public page needs no sign-in; a token that is no link answers "gone" to everyone, never the login page.
            Assert.True(response.StatusCode == HttpStatusCode.Gone, $"{role} GET {path}: {(int)response.StatusCode} {location}");
        }
        else if (allowed == Roles.Anyone || allowed.Contains(role))
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{role} GET {path}: {(int)response.StatusCode} {location}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Contains(role.Length == 0 ? "/Account/Login" : "/Account/AccessDenied", location, StringComparison.Ordinal);
        }
    }

    internal static class Roles
    {
        public static readonly string[] All = [.. AppRoles.All];
        public static readonly string[] Anyone = ["(anyone)"];
    }
}
