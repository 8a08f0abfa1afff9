using AngleSharp.Dom;
using Bunit;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Deals;

/// <summary>
/// The stage-move form's messages next to its fields, and the gate's missing conditions listed before anything is typed.
/// Invalid input never reaches the service, so its database is never opened.
/// </summary>
public sealed class StageMoveDialogTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();

    public StageMoveDialogTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        _ctx.Services.AddDbContextFactory<AppDbContext>(o => o.UseNpgsql("Host=never-opened"));
        _ctx.Services.AddSingleton<NewDealValidator>();
        _ctx.Services.AddSingleton<DealDetailsValidator>();
        _ctx.Services.AddSingleton<StageMoveValidator>();
        _ctx.Services.AddScoped<DealsService>();
        _ctx.Services.AddScoped<ActorAccessor>();
        _ctx.AddAuthorization();
    }

    [Fact]
    public async Task Ordering_without_a_purchase_order_reference_shows_the_message_next_to_the_reference()
    {
        var deal = NewDeal(answerRequiredItems: true);
        var form = await OpenAsync(deal, new StageMoveInput { Target = DealStage.Ordered });

        form.Find("[data-testid=stage-move-confirm]").Click();

        Assert.Equal("Enter the purchase-order reference: a promise of an order is not an order.", MessageNextTo(form, "po-reference"));
        Assert.Equal(DealStage.Verbal, deal.Stage);
    }

    [Fact]
    public async Task Losing_for_another_reason_without_a_note_shows_the_message_next_to_the_note()
    {
        var deal = NewDeal();
        var form = await OpenAsync(deal, new StageMoveInput { Target = DealStage.Lost, LostReason = LostReason.Other });

        form.Find("[data-testid=stage-move-confirm]").Click();

        Assert.Equal("Say why the deal was lost.", MessageUnder(form, "Note"));
        Assert.Equal(DealStage.Verbal, deal.Stage);
    }

    [Fact]
    public async Task A_fresh_verbal_deal_lists_its_unanswered_required_checklist_items_and_cannot_be_confirmed()
    {
        var form = await OpenAsync(NewDeal(), new StageMoveInput { Target = DealStage.Ordered });

        var missing = form.Find("[data-testid=stage-missing]");
        var items = missing.QuerySelectorAll("li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Contains("Checklist item \"Outcome\" is required and not answered yet.", items);
        Assert.DoesNotContain(items, i => i.Contains("Self-check", StringComparison.Ordinal));
        Assert.True(form.Find("[data-testid=stage-move-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_verbal_deal_with_every_required_item_answered_lists_nothing_missing()
    {
        var form = await OpenAsync(NewDeal(answerRequiredItems: true), new StageMoveInput { Target = DealStage.Ordered });

        Assert.Empty(form.FindAll("[data-testid=stage-missing]"));
        Assert.False(form.Find("[data-testid=stage-move-confirm]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_verbal_deal_whose_technical_review_waits_for_service_says_so_and_cannot_be_confirmed()
    {
        var deal = NewDeal();
        foreach (var item in deal.OpenRequiredItems.ToList())
            deal.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", deal.OwnerId, Now);

        var form = await OpenAsync(deal, new StageMoveInput { Target = DealStage.Ordered, PurchaseOrderReference = "PO-1" });

        var items = form.Find("[data-testid=stage-missing]").QuerySelectorAll("li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(["The technical review is waiting for service staff: the order needs their approval."], items);
        Assert.True(form.Find("[data-testid=stage-move-confirm]").HasAttribute("disabled"));
    }

    private static Deal NewDeal(bool answerRequiredItems = false)
    {
        var template = ChecklistTemplate.Create(1, ChecklistTemplate.DefaultItems, "admin-1", Now);
        var deal = Deal.Create(Guid.NewGuid(), "Robot cell", "rep-1", Money.Of(10_000m, "EUR"), "Pack 40 cases a minute on line 3", Today, template, Now, Today);
        if (answerRequiredItems)
        {
            foreach (var item in deal.OpenRequiredItems.ToList())
                deal.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", deal.OwnerId, Now);
            ApproveTechnicalReview(deal, "service-1");
        }
        return deal;
    }

    private async Task<IRenderedComponent<IComponent>> OpenAsync(Deal deal, StageMoveInput input)
    {
        var host = _ctx.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        });
        var parameters = new DialogParameters<StageMoveDialog>
        {
            { d => d.Deal, deal },
            { d => d.Version, 1u },
            { d => d.Input, input },
        };
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<StageMoveDialog>("Move the deal", parameters));
        return host;
    }

    /// <summary>The validation message the field points to through aria-describedby.</summary>
    private static string MessageNextTo(IRenderedComponent<IComponent> form, string testId)
    {
        var input = form.Find($"[data-testid={testId}]");
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        return form.Find($"[id='{input.GetAttribute("aria-describedby")}']").TextContent.Trim();
    }

    /// <summary>The validation message of the field with this label (fields without a test id).</summary>
    private static string MessageUnder(IRenderedComponent<IComponent> form, string label)
    {
        var control = form.FindAll(".mud-input-control")
            .Single(c => c.QuerySelector("label")?.TextContent.Trim() == label);
        var input = control.QuerySelector("input, textarea")!;
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        return form.Find($"[id='{input.GetAttribute("aria-describedby")}']").TextContent.Trim();
    }

    public async ValueTask DisposeAsync() => await _ctx.DisposeAsync();
}
