using System.Security.Claims;
using Bunit;
using CommitmentTracker.Web.Components.Layout;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace CommitmentTracker.Web.Tests.Access;

/// <summary>Each role's menu names every destination once: no two links lead to the same page ("/" forwards to the role's start page).</summary>
public sealed class NavMenuTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public NavMenuTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    public static TheoryData<string> Roles => new(AppRoles.Rep, AppRoles.Manager, AppRoles.Service, AppRoles.Admin);

    [Theory]
    [MemberData(nameof(Roles))]
    public void Each_destination_appears_once_in_a_roles_menu_and_its_start_page_is_one_of_them(string role)
    {
        var auth = _ctx.AddAuthorization();
        auth.SetAuthorized($"{role} user");
        auth.SetRoles(role);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "user-1"));
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, role)], "test"));
        var startPage = user.GetHomePath()!;
        var navigation = _ctx.Services.GetRequiredService<NavigationManager>();

        var menu = _ctx.Render<NavMenu>();

        var links = menu.FindAll("a[href]").Select(a => (Name: a.TextContent.Trim(), Href: a.GetAttribute("href")!)).ToList();
        Assert.NotEmpty(links);
        // "/" is no destination of its own: it forwards to the start page.
        var destinations = links.Select(l => Destination(navigation, l.Href, startPage)).ToList();
        Assert.Equal(destinations.Count, destinations.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(links.Count, links.Select(l => l.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(startPage, destinations);
        Assert.DoesNotContain(links, l => l.Name == "Home");
    }

    private static string Destination(NavigationManager navigation, string href, string startPage)
    {
        var path = navigation.ToAbsoluteUri(href).AbsolutePath.Trim('/');
        return path.Length == 0 ? startPage : path;
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
