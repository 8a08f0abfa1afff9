using AngleSharp.Dom;
using Bunit;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Security;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace CommitmentTracker.Web.Tests.Features.Administration;

/// <summary>The create-user form says what is wrong next to the field, and does not save until everything is right.</summary>
public sealed class CreateUserDialogTests : IAsyncDisposable
{
    private static readonly IReadOnlyList<TeamRow> Teams = [new(Guid.NewGuid(), "Nordics", null, null, 0, 1)];

    private readonly BunitContext _ctx = new();
    private readonly List<NewUserInput> _saved = [];
    private IRenderedComponent<MudDialogProvider> _dialogs = default!;

    public CreateUserDialogTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddSingleton<NewUserValidator>();
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();

    private async Task OpenAsync()
    {
        _ctx.Render<MudPopoverProvider>();
        _dialogs = _ctx.Render<MudDialogProvider>();
        var parameters = new DialogParameters<CreateUserDialog>
        {
            { d => d.Teams, Teams },
            {
                d => d.Save, input =>
                {
                    _saved.Add(input);
                    return Task.FromResult(true);
                }
            },
        };
        var service = _ctx.Services.GetRequiredService<IDialogService>();
        await _dialogs.InvokeAsync(() => service.ShowAsync<CreateUserDialog>("New user", parameters));
    }

    private IElement Input(string testId) => _dialogs.Find($"input[data-testid={testId}], [data-testid={testId}] input");

    /// <summary>The message shown under the field (MudBlazor puts it in the field's own helper line).</summary>
    private string MessageOf(string testId) =>
        Input(testId).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim() ?? "";

    private void Type(string testId, string value) => Input(testId).Input(value);

    [Fact]
    public async Task A_short_password_shows_the_twelve_character_rule_under_the_password_field()
    {
        await OpenAsync();

        Type("user-password", "Short-1!");

        _dialogs.WaitForAssertion(() =>
            Assert.Equal($"The password must be at least {PasswordRules.MinimumLength} characters long.", MessageOf("user-password")));
        Assert.Equal("", MessageOf("user-email"));
    }

    [Fact]
    public async Task A_bad_email_shows_a_message_under_the_email_field()
    {
        await OpenAsync();

        Type("user-email", "nora.example.com");

        _dialogs.WaitForAssertion(() => Assert.Equal("That email address is not valid.", MessageOf("user-email")));
    }

    [Fact]
    public async Task Submitting_an_empty_form_shows_every_missing_field_and_saves_nothing()
    {
        await OpenAsync();

        await _dialogs.Find("[data-testid=create-user-save]").ClickAsync(new());

        _dialogs.WaitForAssertion(() =>
        {
            Assert.Equal("Enter the person's name.", MessageOf("user-name"));
            Assert.Equal("Enter the email address the person signs in with.", MessageOf("user-email"));
            Assert.Equal("Reps and managers belong to a team: pick one.", MessageOf("user-team"));
            Assert.Equal("Enter a password.", MessageOf("user-password"));
        });
        Assert.Empty(_saved);
        Assert.NotEmpty(_dialogs.FindAll("[data-testid=create-user-dialog]"));
    }

    [Fact]
    public async Task A_password_without_a_symbol_is_explained()
    {
        await OpenAsync();

        Type("user-password", "LongEnoughButPlain2026");

        _dialogs.WaitForAssertion(() => Assert.Equal("The password needs a symbol, such as - or !.", MessageOf("user-password")));
    }
}
