using AngleSharp.Dom;
using Bunit;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>
/// The fulfilment update form's messages next to its fields. Invalid input never reaches the service, so its database
/// is never opened.
/// </summary>
public sealed class UpdateMilestoneDialogTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public UpdateMilestoneDialogTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        _ctx.Services.AddDbContextFactory<AppDbContext>(o => o.UseNpgsql("Host=never-opened"));
        _ctx.Services.AddOptions<FulfilmentOptions>();
        _ctx.Services.AddSingleton<MilestoneUpdateValidator>();
        _ctx.Services.AddScoped<FulfilmentService>();
        _ctx.Services.AddScoped<ActorAccessor>();
        _ctx.AddAuthorization();
    }

    [Fact]
    public async Task Saving_a_blocked_milestone_without_a_reason_shows_the_message_next_to_the_reason()
    {
        var form = await OpenAsync(new MilestoneUpdateInput { Status = MilestoneStatus.Blocked });

        form.Find("[data-testid=milestone-save]").Click();

        Assert.Equal("Say what blocks it.", MessageNextTo(form.Find("[data-testid=milestone-reason]"), form));
        Assert.Single(form.FindAll("[data-testid=update-milestone-dialog]"));
    }

    [Fact]
    public async Task A_blocked_milestone_with_a_reason_shows_no_message_next_to_the_reason()
    {
        var form = await OpenAsync(new MilestoneUpdateInput { Status = MilestoneStatus.Blocked });
        form.Find("[data-testid=milestone-save]").Click();

        form.Find("[data-testid=milestone-reason]").Input("Waiting for the customer's floor plan");

        Assert.NotEqual("true", form.Find("[data-testid=milestone-reason]").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task A_done_milestone_completed_in_the_future_shows_the_message_next_to_the_completion_date()
    {
        // The day after tomorrow (UTC) has not begun anywhere on earth; tomorrow may already have, east of UTC.
        var future = Today.AddDays(2).ToDateTime(TimeOnly.MinValue);
        var form = await OpenAsync(new MilestoneUpdateInput { Status = MilestoneStatus.Done, CompletedOn = future });

        form.Find("[data-testid=milestone-save]").Click();

        Assert.Equal("A completion date cannot be in the future.", MessageNextTo(InputLabelled(form, "Completed on"), form));
        Assert.Single(form.FindAll("[data-testid=update-milestone-dialog]"));
    }

    private async Task<IRenderedComponent<IComponent>> OpenAsync(MilestoneUpdateInput input)
    {
        var host = _ctx.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        });
        var parameters = new DialogParameters<UpdateMilestoneDialog>
        {
            { d => d.Milestones, [new MilestoneRef(Guid.NewGuid(), 1)] },
            { d => d.Input, input },
        };
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<UpdateMilestoneDialog>("Update the milestone", parameters));
        return host;
    }

    /// <summary>The input of the field with this label (fields without a test id).</summary>
    private static IElement InputLabelled(IRenderedComponent<IComponent> form, string label) =>
        form.FindAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim() == label)
            .QuerySelector("input")!;

    /// <summary>The validation message the field points to through aria-describedby.</summary>
    private static string MessageNextTo(IElement input, IRenderedComponent<IComponent> form)
    {
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        return form.Find($"[id='{input.GetAttribute("aria-describedby")}']").TextContent.Trim();
    }

    public async ValueTask DisposeAsync() => await _ctx.DisposeAsync();
}
