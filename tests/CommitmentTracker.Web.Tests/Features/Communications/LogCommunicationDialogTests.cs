using Bunit;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Web.Features.Communications;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Communications;

/// <summary>The messages of the log-communication and touchpoint forms, next to their fields; nothing is saved while they show.</summary>
public sealed class LogCommunicationDialogTests : IAsyncDisposable
{
    private static readonly IReadOnlyList<PersonSuggestion> Contacts = [new("Hannah Berg", "buyer"), new("Tom Lind", "user")];

    private readonly BunitContext _ctx = new();
    private readonly List<LogCommunicationInput> _logged = [];
    private readonly List<CompleteTouchpointInput> _completed = [];

    public LogCommunicationDialogTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        var clock = new FakeTimeProvider(Now);
        _ctx.Services.AddSingleton<TimeProvider>(clock);
        _ctx.Services.AddSingleton(new LogCommunicationValidator(clock));
        _ctx.Services.AddSingleton(new CompleteTouchpointValidator());
    }

    [Fact]
    public async Task Saving_without_people_shows_the_message_next_to_the_people_and_logs_nothing()
    {
        var form = await OpenLogAsync();
        form.Find("[data-testid=log-summary]").Input("Confirmed the ship date.");

        form.Find("[data-testid=log-save]").Click();

        Assert.Equal("Say who took part: the customer's people and ours.", MessageNextTo(form, "log-people"));
        Assert.Empty(_logged);
    }

    [Fact]
    public async Task Saving_without_a_summary_shows_the_message_next_to_the_summary_and_logs_nothing()
    {
        var form = await OpenLogAsync();
        form.Find("[data-testid=log-people]").Input("Hannah Berg");

        form.Find("[data-testid=log-save]").Click();

        Assert.Equal("Write what was said: this is the record the company stands behind.", MessageNextTo(form, "log-summary"));
        Assert.Empty(_logged);
    }

    [Fact]
    public async Task A_contact_picked_from_the_suggestions_fills_the_people_and_clears_the_message()
    {
        var form = await OpenLogAsync();
        form.Find("[data-testid=log-save]").Click();
        Assert.Equal("Say who took part: the customer's people and ours.", MessageNextTo(form, "log-people"));

        form.FindAll("[data-testid=people-suggestion]")[0].Click();
        form.FindAll("[data-testid=people-suggestion]")[1].Click();

        form.WaitForAssertion(() => Assert.Equal("Hannah Berg, Tom Lind", form.Find("[data-testid=log-people]").GetAttribute("value")));
        Assert.NotEqual("true", form.Find("[data-testid=log-people]").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task A_complete_form_is_logged_as_a_call_to_the_customer_happening_now()
    {
        var form = await OpenLogAsync();
        form.Find("[data-testid=log-people]").Input("Hannah Berg");
        form.Find("[data-testid=log-summary]").Input("Confirmed the ship date.");

        form.Find("[data-testid=log-save]").Click();

        var logged = Assert.Single(_logged);
        Assert.Equal((CommunicationChannel.Phone, CommunicationDirection.ToCustomer, "Hannah Berg", "Confirmed the ship date.", (DateTimeOffset?)Now),
            (logged.Channel, logged.Direction, logged.People, logged.Summary, logged.Moment));
    }

    [Fact]
    public async Task A_time_in_the_future_shows_the_message_next_to_the_day()
    {
        var form = await OpenLogAsync();
        form.Find("[data-testid=log-people]").Input("Hannah Berg");
        form.Find("[data-testid=log-summary]").Input("Confirmed the ship date.");
        form.Find("[data-testid=log-time]").Change("11:30");

        form.Find("[data-testid=log-save]").Click();

        Assert.Equal("A communication cannot be logged in the future.", MessageNextTo(form, "log-day"));
        Assert.Empty(_logged);
    }

    [Fact]
    public async Task Completing_a_touchpoint_without_saying_what_was_said_shows_the_message_and_saves_nothing()
    {
        var form = await OpenTouchpointAsync();
        form.Find("[data-testid=touchpoint-people]").Input("Hannah Berg");

        form.Find("[data-testid=touchpoint-save]").Click();

        Assert.Equal("Write what was said: this is the record the company stands behind.", MessageNextTo(form, "touchpoint-summary"));
        Assert.Empty(_completed);
    }

    private async Task<IRenderedComponent<IComponent>> OpenLogAsync()
    {
        var host = RenderProviders();
        var parameters = new DialogParameters<LogCommunicationDialog>
        {
            { d => d.Suggestions, Contacts },
            { d => d.Save, input => { _logged.Add(input); return Task.CompletedTask; } },
        };
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<LogCommunicationDialog>("Log a communication", parameters));
        return host;
    }

    private async Task<IRenderedComponent<IComponent>> OpenTouchpointAsync()
    {
        var host = RenderProviders();
        var parameters = new DialogParameters<CompleteTouchpointDialog>
        {
            { d => d.TouchpointTitle, "Walk through the road to delivery" },
            { d => d.DueOn, Today },
            { d => d.Suggestions, Contacts },
            { d => d.Save, input => { _completed.Add(input); return Task.CompletedTask; } },
        };
        var dialogs = _ctx.Services.GetRequiredService<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<CompleteTouchpointDialog>("Touchpoint done", parameters));
        return host;
    }

    private IRenderedComponent<IComponent> RenderProviders() => _ctx.Render(b =>
    {
        b.OpenComponent<MudPopoverProvider>(0);
        b.CloseComponent();
        b.OpenComponent<MudDialogProvider>(1);
        b.CloseComponent();
        b.OpenComponent<MudSnackbarProvider>(2);
        b.CloseComponent();
    });

    /// <summary>The validation message the field points to through aria-describedby.</summary>
    private static string MessageNextTo(IRenderedComponent<IComponent> form, string testId)
    {
        var input = form.Find($"[data-testid={testId}]");
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        return form.Find($"[id='{input.GetAttribute("aria-describedby")}']").TextContent.Trim();
    }

    public async ValueTask DisposeAsync() => await _ctx.DisposeAsync();
}
