using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Checklist;
using CommitmentTracker.Web.Features.Deals;
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

namespace CommitmentTracker.Web.Tests.Features.Checklist;

/// <summary>
/// The checklist answered in place on the deal page, against the real database: one item opens with its field, Save
/// stores it and opens the next open item, a missing answer is said next to the field, a concurrent answer is said in
/// the item and what was typed stays, and each button's name is its visible word.
/// </summary>
public sealed class ChecklistSectionTests : IClassFixture<TestDatabase>, IAsyncDisposable
{
    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    private readonly TestDatabase _database;
    private readonly BunitContext _ctx = new();
    private readonly BunitAuthorizationContext _auth;
    private readonly FakeTimeProvider _clock = new(Now.AddHours(1));
    private DealView? _reloaded;

    public ChecklistSectionTests(TestDatabase database)
    {
        _database = database;
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddLogging();
        _ctx.Services.AddSingleton<IDbContextFactory<AppDbContext>>(database);
        _ctx.Services.AddSingleton<TimeProvider>(_clock);
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddSingleton<ChecklistAnswerValidator>();
        _ctx.Services.AddSingleton<ShareRiskValidator>();
        _ctx.Services.AddSingleton(new ChecklistAcknowledgementValidator(_clock));
        _ctx.Services.AddSingleton(new NewDealValidator(_clock));
        _ctx.Services.AddSingleton(new DealDetailsValidator(_clock));
        _ctx.Services.AddSingleton(new StageMoveValidator(_clock));
        _ctx.Services.AddScoped<ChecklistService>();
        _ctx.Services.AddScoped<DealsService>();
        _ctx.Services.AddScoped<ActorAccessor>();
        _auth = _ctx.AddAuthorization();
    }

    [Fact]
    public async Task Saving_an_answer_in_place_stores_it_and_opens_the_next_open_item()
    {
        var (rep, deal) = await ArrangeAsync();
        var section = await RenderAsync(rep, deal.Id);

        section.Find("[data-testid=checklist-answer-1]").Click();
        Assert.Single(section.FindAll("[data-testid=checklist-editor]"));
        Assert.Equal("true", section.Find("[data-testid=checklist-item-1]").GetAttribute("data-expanded"));
        section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer]").Input("Forty cases a minute on line 3");
        section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer-save]").Click();

        await ShowReloadedAsync(section);
        Assert.Equal("Forty cases a minute on line 3", await AnswerAsync(deal, 1));
        section.WaitForAssertion(() => Assert.Equal("true", section.Find("[data-testid=checklist-item-2]").GetAttribute("data-expanded")));
        Assert.Single(section.FindAll("[data-testid=checklist-editor]"));
        Assert.Contains("Forty cases a minute on line 3", section.Find("[data-testid=checklist-item-1]").TextContent, StringComparison.Ordinal);
        Assert.Equal("false", section.Find("[data-testid=checklist-item-1]").GetAttribute("data-open-required"));
        // The next item's field is empty and ready: its own editor, not the last one's text.
        Assert.Equal("", ValueOf(section.Find("[data-testid=checklist-item-2] [data-testid=checklist-answer]")));
    }

    [Fact]
    public async Task Saving_an_empty_answer_shows_the_message_next_to_the_field_and_saves_nothing()
    {
        var (rep, deal) = await ArrangeAsync();
        var section = await RenderAsync(rep, deal.Id);
        section.Find("[data-testid=checklist-answer-3]").Click();

        section.Find("[data-testid=checklist-item-3] [data-testid=checklist-answer-save]").Click();

        section.WaitForAssertion(() =>
        {
            var field = section.Find("[data-testid=checklist-item-3] [data-testid=checklist-answer]");
            Assert.Equal("true", field.GetAttribute("aria-invalid"));
            Assert.Equal("Write down what was agreed with the customer.", section.Find($"[id='{field.GetAttribute("aria-describedby")}']").TextContent.Trim());
        });
        Assert.Null(await AnswerAsync(deal, 3));
        Assert.Equal("true", section.Find("[data-testid=checklist-item-3]").GetAttribute("data-expanded"));
    }

    [Fact]
    public async Task An_answer_saved_by_someone_else_meanwhile_is_explained_in_the_item_and_what_was_typed_stays()
    {
        var (rep, deal) = await ArrangeAsync();
        var manager = await _database.CreateAsync(AppRoles.Manager, await TeamOfAsync(rep), name: "Bo Manager");
        var section = await RenderAsync(rep, deal.Id);
        section.Find("[data-testid=checklist-answer-1]").Click();
        section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer]").Input("Mine: forty cases a minute");

        await using (var scope = _ctx.Services.CreateAsyncScope())
        {
            var item = deal.Checklist.Single(i => i.Position == 1);
            await scope.ServiceProvider.GetRequiredService<ChecklistService>()
                .AnswerAsync(manager, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "Theirs: fifty cases a minute" }, null, Cancel);
        }
        section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer-save]").Click();

        section.WaitForAssertion(() =>
            Assert.Contains("Bo Manager answered \"Outcome\"", section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer-error]").TextContent, StringComparison.Ordinal));
        Assert.Equal("alert", section.Find("[data-testid=checklist-answer-error]").GetAttribute("role"));
        Assert.Equal("Mine: forty cases a minute", ValueOf(section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer]")));
        Assert.Equal("Theirs: fifty cases a minute", await AnswerAsync(deal, 1));

        // "Show their answer" reloads the deal: their answer shows, the field keeps what was typed, and Save now replaces theirs.
        section.Find("[data-testid=checklist-answer-reload]").Click();
        await ShowReloadedAsync(section);
        section.WaitForAssertion(() => Assert.Empty(section.FindAll("[data-testid=checklist-answer-error]")));
        Assert.Contains("Theirs: fifty cases a minute", section.Find("[data-testid=checklist-item-1]").TextContent, StringComparison.Ordinal);
        Assert.Equal("Mine: forty cases a minute", ValueOf(section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer]")));
        section.Find("[data-testid=checklist-item-1] [data-testid=checklist-answer-save]").Click();
        await ShowReloadedAsync(section);
        Assert.Equal("Mine: forty cases a minute", await AnswerAsync(deal, 1));
    }

    [Fact]
    public async Task Each_answer_button_is_named_by_its_visible_word_and_described_by_its_item()
    {
        var (rep, deal) = await ArrangeAsync();
        var section = await RenderAsync(rep, deal.Id);

        var buttons = section.FindAll("[data-testid^=checklist-answer-]");
        Assert.Equal(10, buttons.Count);
        foreach (var button in buttons)
        {
            Assert.Null(button.GetAttribute("aria-label"));
            Assert.Equal("Answer", button.TextContent.Trim());
            var title = section.Find($"[id='{button.GetAttribute("aria-describedby")}']");
            var position = button.GetAttribute("data-testid")!["checklist-answer-".Length..];
            Assert.Equal(deal.Checklist.Single(i => i.Position == int.Parse(position, System.Globalization.CultureInfo.InvariantCulture)).Title, title.TextContent.Trim());
        }
    }

    [Fact]
    public async Task Service_staff_read_the_checklist_without_answer_buttons()
    {
        var (_, deal) = await ArrangeAsync();
        var service = await _database.CreateAsync(AppRoles.Service, department: Domain.Department.Service);

        var section = await RenderAsync(service, deal.Id);

        Assert.Equal(10, section.FindAll("[data-testid^=checklist-item-]").Count);
        Assert.Empty(section.FindAll("[data-testid^=checklist-answer]"));
    }

    private async Task<(Actor Rep, Deal Deal)> ArrangeAsync()
    {
        var rep = await _database.CreateAsync(AppRoles.Rep, await _database.CreateTeamAsync());
        return (rep, await _database.CreateDealAsync(rep));
    }

    private async Task<IRenderedComponent<ChecklistSection>> RenderAsync(Actor actor, Guid dealId)
    {
        _auth.SetAuthorized(actor.DisplayName);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.UserId));
        var view = await LoadAsync(actor, dealId);
        _ctx.Render<MudPopoverProvider>();
        _ctx.Render<MudSnackbarProvider>();
        return _ctx.Render<ChecklistSection>(p => p
            .Add(s => s.View, view)
            .Add(s => s.Changed, EventCallback.Factory.Create(this, async () => _reloaded = await LoadAsync(actor, dealId))));
    }

    /// <summary>What the deal page does on Changed: load the deal again and hand it to the section.</summary>
    private async Task ShowReloadedAsync(IRenderedComponent<ChecklistSection> section)
    {
        section.WaitForState(() => _reloaded is not null);
        var view = _reloaded!;
        _reloaded = null;
        await section.InvokeAsync(() => section.Render(p => p.Add(s => s.View, view)));
    }

    private async Task<DealView> LoadAsync(Actor actor, Guid dealId)
    {
        await using var scope = _ctx.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DealsService>().GetAsync(actor, dealId, Cancel)
            ?? throw new InvalidOperationException("The deal is not visible.");
    }

    /// <summary>What a text field holds: the value attribute, or a textarea's text.</summary>
    private static string ValueOf(AngleSharp.Dom.IElement field) => field.GetAttribute("value") ?? field.TextContent;

    private Task<string?> AnswerAsync(Deal deal, int position) =>
        _database.QueryAsync(db => db.DealChecklistItems.Where(i => i.DealId == deal.Id && i.Position == position).Select(i => i.Answer).SingleAsync(Cancel));

    private Task<Domain.Teams.Team> TeamOfAsync(Actor actor) =>
        _database.QueryAsync(db => db.Teams.AsNoTracking().SingleAsync(t => t.Id == actor.TeamId, Cancel));

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}
