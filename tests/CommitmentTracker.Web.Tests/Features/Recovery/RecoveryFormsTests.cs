using AngleSharp.Dom;
using Bunit;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Recovery;

/// <summary>
/// The recovery plan's forms show their messages next to the fields and never call the service with bad input
/// (its database is never opened: a call would fail the test).
/// </summary>
public sealed class RecoveryFormsTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();
    private int _runs;

    public RecoveryFormsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        _ctx.Services.AddDbContextFactory<AppDbContext>(o => o.UseNpgsql("Host=never-opened"));
        foreach (var validator in new object[]
                 {
                     new MakeRoomValidator(), new OptionValidator(), new TellCustomerValidator(), new ComfortValidator(),
                     new BossContactValidator(), new CompensationValidator(), new CloseValidator(),
                 })
            _ctx.Services.AddSingleton(validator.GetType(), validator);
        _ctx.Services.AddScoped<RecoveryService>();
        _ctx.AddAuthorization();
    }

    [Fact]
    public void Closing_without_root_cause_department_or_lesson_shows_each_message_and_does_not_save()
    {
        var form = Render<CloseStep>(View());

        form.Find("[data-testid=close-save]").Click();

        Assert.Contains("Pick the root cause.", form.Markup);
        Assert.Contains("Pick the department where it went wrong.", form.Markup);
        Assert.Equal("Write the lesson: what changes so it does not happen again.", MessageNextTo(form.Find("[data-testid=close-lesson]"), form));
        Assert.Equal(0, _runs);
    }

    [Fact]
    public void Telling_the_customer_without_who_and_what_shows_the_messages_and_does_not_save()
    {
        var form = Render<RecoveryStepContent>(View(), RecoveryStepKind.TellCustomer);

        form.Find("[data-testid=tell-save]").Click();

        Assert.Equal("Who did you speak to?", MessageNextTo(form.Find("[data-testid=tell-people]"), form));
        Assert.Equal("Write what you told the customer: the situation and the options.", MessageNextTo(form.Find("[data-testid=tell-summary]"), form));
        Assert.Equal(0, _runs);
    }

    [Fact]
    public void A_compensation_worth_no_more_than_the_loss_is_flagged_before_saving()
    {
        var form = Render<CompensateStep>(View());

        form.Find("[data-testid=compensation-face]").Change("500");
        form.Find("[data-testid=compensation-loss]").Change("800");

        Assert.Contains("The face value does not exceed the estimated loss", form.Markup);
        Assert.Equal(0, _runs);
    }

    [Fact]
    public void A_compensation_without_an_item_or_face_value_shows_the_messages_and_does_not_save()
    {
        var form = Render<CompensateStep>(View());

        form.Find("[data-testid=compensation-save]").Click();

        Assert.Equal("Name the item, e.g. \"Two extra training days\".", MessageNextTo(form.Find("[data-testid=compensation-item]"), form));
        Assert.Equal("Give the face value to the customer.", MessageNextTo(form.Find("[data-testid=compensation-face]"), form));
        Assert.Equal(0, _runs);
    }

    [Fact]
    public void Without_any_contact_s_permission_the_boss_contact_form_is_not_offered()
    {
        var form = Render<RecoveryStepContent>(View(), RecoveryStepKind.Comfort);

        Assert.Contains("has given permission to contact their manager", form.Find("[data-testid=boss-no-permission]").TextContent);
    }

    private IRenderedComponent<T> Render<T>(RecoveryPlanView view, RecoveryStepKind? step = null)
        where T : IComponent
    {
        Func<Func<Actor, uint, Task>, string, Task<bool>> run = (_, _) =>
        {
            _runs++;
            return Task.FromResult(true);
        };
        return _ctx.Render<T>(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<T>(1);
            b.AddAttribute(2, "View", view);
            b.AddAttribute(3, "Run", run);
            if (step is { } kind)
                b.AddAttribute(4, "Step", kind);
            b.CloseComponent();
        });
    }

    private static RecoveryPlanView View()
    {
        var account = Account.Create("Litware Energy", "Energy", Now);
        account.AddContact("Ken Adams", ContactRole.Buyer, null, null, mayContactTheirManager: false);
        var template = ChecklistTemplate.Create(1, ChecklistTemplate.DefaultItems, "admin", Now);
        var deal = Deal.Create(account.Id, "Fleet telematics", "rep", Money.Of(96_400m, "EUR"), "Every van located live", Today, template, Now, Today);
        var promise = deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Delivery, "Fit trackers in 85 vans", "rep", Department.Fulfilment, Today.AddDays(60), Today.AddDays(70)),
            LeadTimes.Defaults, "rep", Now, Today);
        var plan = RecoveryPlan.Open(promise.Id, deal.Id, Now, RiskLevel.AtRisk, RecoverySettings.Default("rep", "manager"), Now);
        return new RecoveryPlanView
        {
            Plan = plan,
            Version = 1,
            Deal = deal,
            Promise = promise,
            Account = account,
            Suggestions = [],
            OptionPromises = new Dictionary<Guid, string>(),
            UserNames = new Dictionary<string, string> { ["rep"] = "Rita Reyes", ["manager"] = "Marco Mancini" },
            CompensationBudget = 4_000m,
            TellCustomerWithinHours = 24,
            DaysNeeded = 1,
            CanEdit = true,
            CanManage = true,
            Now = Now,
        };
    }

    /// <summary>The validation message the field points to through aria-describedby.</summary>
    private static string MessageNextTo(IElement input, IRenderedComponent<IComponent> form)
    {
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        return form.Find($"[id='{input.GetAttribute("aria-describedby")}']").TextContent.Trim();
    }

    public async ValueTask DisposeAsync() => await _ctx.DisposeAsync();
}
