using AngleSharp.Dom;
using Bunit;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Promises;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Promises;

/// <summary>The promise form's messages next to its fields, and the buffer and lead-time checks shown as the dates are typed.</summary>
public sealed class AddPromiseDialogTests : IAsyncDisposable
{
    private static readonly PromiseOwnerOption Rep = new("rep-1", "Rita Reyes", "Rep", Department.Sales);

    private readonly BunitContext _ctx = new();
    private readonly List<AddPromiseInput> _saved = [];

    public AddPromiseDialogTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        var clock = new FakeTimeProvider(Now);
        _ctx.Services.AddSingleton<TimeProvider>(clock);
        _ctx.Services.AddSingleton(new AddPromiseValidator(clock));
    }

    [Fact]
    public async Task Saving_without_a_description_shows_the_message_next_to_the_description_and_saves_nothing()
    {
        var form = await OpenAsync(CommitmentDirection.Ours);
        Type(form, "promise-promised-date", "2026-04-20");

        form.Find("[data-testid=promise-save]").Click();

        Assert.Equal("Describe what is promised.", MessageNextTo(form, "promise-description"));
        Assert.Empty(_saved);
    }

    [Fact]
    public async Task A_promised_date_in_the_past_shows_the_message_next_to_the_date()
    {
        var form = await OpenAsync(CommitmentDirection.Ours);
        Type(form, "promise-description", "Ship the robot cell");
        Type(form, "promise-promised-date", "2026-03-01");

        form.Find("[data-testid=promise-save]").Click();

        Assert.Equal("The promised date cannot be in the past.", MessageNextTo(form, "promise-promised-date"));
        Assert.Empty(_saved);
    }

    [Fact]
    public async Task The_buffer_is_shown_as_the_dates_are_typed_and_warns_when_there_is_none()
    {
        var form = await OpenAsync(CommitmentDirection.Ours);

        Type(form, "promise-promised-date", "2026-04-20");
        Assert.Equal("No need date recorded: we cannot tell how much room this promise has.", BufferText(form));

        Type(form, "promise-need-date", "2026-04-30");
        Assert.Equal("Buffer: 10 days between the promised date and the customer's need date.", BufferText(form));

        Type(form, "promise-need-date", "2026-04-20");
        Assert.Equal("No buffer: the promised date is the customer's need date. Any slip will be felt.", BufferText(form));

        Type(form, "promise-need-date", "2026-04-15");
        Assert.Equal("The promised date is 5 days after the customer's need date.", BufferText(form));
        Assert.Contains("mud-alert-text-warning", form.Find("[data-testid=promise-buffer]").ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customers_promise_shows_no_buffer_whatever_its_dates()
    {
        var form = await OpenAsync(CommitmentDirection.Theirs);

        Type(form, "promise-promised-date", "2026-04-20");
        Assert.Empty(form.FindAll("[data-testid=promise-buffer]"));

        Type(form, "promise-need-date", "2026-04-15");
        Assert.Empty(form.FindAll("[data-testid=promise-buffer]"));
    }

    [Fact]
    public async Task A_date_inside_the_lead_time_is_marked_aggressive_and_asks_the_manager_by_default()
    {
        var form = await OpenAsync(CommitmentDirection.Ours);
        Type(form, "promise-description", "Ship the robot cell");

        Type(form, "promise-promised-date", "2026-03-10");

        var warning = form.Find("[data-testid=promise-aggressive]").TextContent;
        Assert.Contains("standard lead time of 21 days for delivery", warning, StringComparison.Ordinal);
        Assert.Contains("The earliest comfortable date is 23 Mar 2026.", warning, StringComparison.Ordinal);
        form.Find("[data-testid=promise-save]").Click();
        var saved = Assert.Single(_saved);
        Assert.Equal(AggressiveHandling.AskManager, saved.AggressiveHandling);
    }

    [Fact]
    public async Task Choosing_to_write_a_reason_for_an_aggressive_date_requires_the_reason()
    {
        var form = await OpenAsync(CommitmentDirection.Ours);
        Type(form, "promise-description", "Ship the robot cell");
        Type(form, "promise-promised-date", "2026-03-10");

        form.FindAll("[data-testid=promise-aggressive-handling] input[type=radio]")[1].Click();
        form.Find("[data-testid=promise-save]").Click();

        Assert.Equal("Write why this date is safe to promise, or ask your manager to approve it.", MessageNextTo(form, "promise-aggressive-reason"));
        Assert.Empty(_saved);
    }

    [Fact]
    public async Task A_date_outside_the_lead_time_is_not_marked_aggressive()
    {
        var form = await OpenAsync(CommitmentDirection.Ours);

        Type(form, "promise-promised-date", "2026-03-23");

        Assert.Empty(form.FindAll("[data-testid=promise-aggressive]"));
    }

    [Fact]
    public async Task A_customers_promise_belongs_to_the_customer_and_is_not_checked_against_our_lead_times()
    {
        var form = await OpenAsync(CommitmentDirection.Theirs);
        Type(form, "promise-description", "Network port on line 3");

        Type(form, "promise-promised-date", "2026-03-04");
        form.Find("[data-testid=promise-save]").Click();

        Assert.Empty(form.FindAll("[data-testid=promise-aggressive]"));
        var saved = Assert.Single(_saved);
        Assert.Equal((CommitmentDirection.Theirs, Department.Customer, "rep-1", new DateTime(2026, 3, 4)),
            (saved.Direction, saved.Department, saved.OwnerId, saved.PromisedDate));
    }

    [Fact]
    public async Task The_chance_of_the_date_typed_and_the_80_and_90_percent_dates_are_shown_with_their_basis()
    {
        var form = await OpenAsync(CommitmentDirection.Ours, estimate: true);

        Type(form, "promise-promised-date", "2026-05-21"); // 80 days from 2 Mar

        form.WaitForAssertion(() => Assert.Equal("80% chance this date holds: similar promises were done by 21 May 2026 that often.",
            form.Find("[data-testid=promise-forecast-chance]").TextContent.Trim()));
        Assert.Contains("Held 80%: 21 May 2026 · 90%: 31 May 2026", form.Find("[data-testid=promise-forecast-dates]").TextContent, StringComparison.Ordinal);
        var basis = form.Find("[data-testid=promise-forecast-basis]").TextContent.Trim();
        Assert.StartsWith("Based on 100 delivery promises of the Sales department in the last 24 months. Too few promises like this one", basis, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=promise-aggressive]"));
    }

    [Fact]
    public async Task A_date_below_the_minimum_chance_is_aggressive_and_the_80_percent_date_can_be_taken_instead()
    {
        var form = await OpenAsync(CommitmentDirection.Ours, estimate: true);
        Type(form, "promise-description", "Ship the robot cell");

        Type(form, "promise-promised-date", "2026-04-21"); // 50 days: half of the history was done by then

        form.WaitForAssertion(() => Assert.Equal("Aggressive: only 50% chance this date holds, below the minimum of 70%.",
            form.Find("[data-testid=promise-aggressive-chance]").TextContent.Trim()));
        Assert.NotEmpty(form.FindAll("[data-testid=promise-aggressive-handling]"));

        form.Find("[data-testid=promise-use-80-date]").Click();

        form.WaitForAssertion(() => Assert.Empty(form.FindAll("[data-testid=promise-aggressive]")));
        form.Find("[data-testid=promise-save]").Click();
        var saved = Assert.Single(_saved);
        Assert.Equal(new DateTime(2026, 5, 21), saved.PromisedDate);
    }

    /// <summary>Deliveries done evenly on days 1..100 after promising: the 80% date is day 80, the 90% day 90.</summary>
    private static Task<CommitmentTracker.Web.Features.Forecasts.DateForecast?> Estimate(CommitmentKind kind, Department department, DateOnly? date)
    {
        var curve = CommitmentTracker.Domain.Forecasts.SurvivalCurve.Estimate(
            Enumerable.Range(1, 100).Select(d => new CommitmentTracker.Domain.Forecasts.PromiseObservation(d, true)));
        var subject = new CommitmentTracker.Domain.Forecasts.ForecastSubject(kind, department, CommitmentTracker.Domain.Forecasts.ValueBand.Under10k, 0);
        var forecast = CommitmentTracker.Domain.Forecasts.PromiseForecaster.ForNewPromise(
            subject, g => g.Level == CommitmentTracker.Domain.Forecasts.ReferenceLevel.KindAndDepartment ? curve : null,
            Today, date, LeadTimes.Defaults, CommitmentTracker.Domain.Forecasts.ForecastSettings.Defaults, CommitmentTracker.Domain.Forecasts.CalendarDays.Instance);
        return Task.FromResult<CommitmentTracker.Web.Features.Forecasts.DateForecast?>(new(forecast, 0.70m));
    }

    [Fact]
    public async Task On_the_teams_calendar_the_dialog_says_which_typed_dates_are_not_working_days_and_counts_working_days()
    {
        var calendar = CommitmentTracker.Domain.Calendars.WorkingCalendar.Default(Guid.NewGuid());
        calendar.AddHoliday(new DateOnly(2026, 4, 6), "Easter Monday");
        var form = await OpenAsync(CommitmentDirection.Ours, LeadTimes.Defaults.On(calendar));

        Type(form, "promise-promised-date", "2026-04-06");
        Type(form, "promise-need-date", "2026-04-11");

        var note = form.Find("[data-testid=promise-non-working-dates]").TextContent;
        Assert.Contains("The promised date 6 Apr 2026 is not a working day", note, StringComparison.Ordinal);
        Assert.Equal(["holiday: Easter Monday", "Sat"], form.FindAll("[data-testid=non-working-day]").Select(m => m.TextContent));
        Assert.Empty(form.FindAll("[data-testid=promise-aggressive]"));

        // 21 working days from Monday 2 March end on Tuesday 31 March: a Saturday before it is aggressive and marked.
        Type(form, "promise-promised-date", "2026-03-28");
        var warning = form.Find("[data-testid=promise-aggressive]").TextContent;
        Assert.Contains("standard lead time of 21 working days for delivery", warning, StringComparison.Ordinal);
        Assert.Contains("The earliest comfortable date is 31 Mar 2026.", warning, StringComparison.Ordinal);
        Assert.Equal(["Sat", "Sat"], form.FindAll("[data-testid=non-working-day]").Select(m => m.TextContent));
    }

    private async Task<IRenderedComponent<Microsoft.AspNetCore.Components.IComponent>> OpenAsync(CommitmentDirection direction, LeadTimes? leadTimes = null, bool estimate = false)
    {
        var host = _ctx.Render(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
        });
        var parameters = new DialogParameters<AddPromiseDialog>
        {
            { d => d.Model, AddPromiseInput.For(direction, Rep.Id) },
            { d => d.Options, new PromiseFormOptions([Rep], [Rep], leadTimes ?? LeadTimes.Defaults) },
            { d => d.Save, input => { _saved.Add(input); return Task.FromResult(true); } },
        };
        if (estimate)
            parameters.Add(d => d.Estimate, Estimate);
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<AddPromiseDialog>("Add a promise", parameters));
        return host;
    }

    private static void Type(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> form, string testId, string text) =>
        form.Find($"[data-testid={testId}]").Input(text);

    /// <summary>The validation message the field points to through aria-describedby.</summary>
    private static string MessageNextTo(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> form, string testId)
    {
        var input = form.Find($"[data-testid={testId}]");
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        return form.Find($"[id='{input.GetAttribute("aria-describedby")}']").TextContent.Trim();
    }

    private static string BufferText(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> form) =>
        form.Find("[data-testid=promise-buffer] .mud-alert-message").TextContent.Trim();

    public async ValueTask DisposeAsync() => await _ctx.DisposeAsync();
}
