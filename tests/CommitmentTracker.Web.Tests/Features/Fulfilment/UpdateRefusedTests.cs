using System.Security.Claims;
using Bunit;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>
/// A fulfilment update the server refuses (the milestone is not the user's) says why inside the dialog, keeps the dialog
/// and its input, and saves nothing. Rendered against the real database for a signed-in service user.
/// </summary>
public sealed class UpdateRefusedTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    [Fact]
    public async Task A_refused_update_shows_the_reason_in_the_dialog_and_saves_nothing()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var colleague = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", colleague.UserId)]);
        var milestone = await database.RefAsync(promise.Milestone(1));
        var host = Render(service);
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<UpdateMilestoneDialog>("Update", new DialogParameters<UpdateMilestoneDialog>
        {
            { d => d.Milestones, [milestone] },
            { d => d.Input, new MilestoneUpdateInput { Status = MilestoneStatus.InProgress, Note = "Parts ordered" } },
        }));

        host.Find("[data-testid=milestone-save]").Click();

        host.WaitForAssertion(() => Assert.Contains("assigned to someone else",
            host.Find("[data-testid=milestone-update-refused]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.Single(host.FindAll("[data-testid=update-milestone-dialog]"));
        var note = host.Find("[data-testid=milestone-note]");
        Assert.Equal("Parts ordered", note.GetAttribute("value") ?? note.TextContent);
        Assert.Equal(MilestoneStatus.NotStarted, (await database.LoadMilestoneAsync(promise.Milestone(1))).Status);
    }

    private IRenderedComponent<IComponent> Render(Actor user)
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddLogging();
        _ctx.Services.AddSingleton<IDbContextFactory<AppDbContext>>(database);
        var clock = new FakeTimeProvider(Now);
        _ctx.Services.AddSingleton<TimeProvider>(clock);
        _ctx.Services.AddOptions<FulfilmentOptions>();
        _ctx.Services.AddSingleton(new MilestoneUpdateValidator(clock));
        _ctx.Services.AddScoped<FulfilmentService>();
        _ctx.Services.AddScoped<ActorAccessor>();
        _ctx.AddAuthorization().SetAuthorized(user.DisplayName).SetRoles(user.Role)
            .SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId));
        return _ctx.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<MudSnackbarProvider>(2);
            b.CloseComponent();
        });
    }

    public async ValueTask DisposeAsync() => await _ctx.DisposeAsync();
}
