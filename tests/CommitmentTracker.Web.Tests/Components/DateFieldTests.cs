using Bunit;
using CommitmentTracker.Web.Components.Shared;
using MudBlazor;
using MudBlazor.Services;

namespace CommitmentTracker.Web.Tests.Components;

/// <summary>Every date field of the app can be typed into, in the app's format or as an ISO date, and shows the app's format.</summary>
public sealed class DateFieldTests : IAsyncDisposable
{
    private readonly BunitContext _ctx = new();
    private DateTime? _date;

    public DateFieldTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    private IRenderedComponent<DateField> Render(DateTime? date = null)
    {
        _date = date;
        _ctx.Render<MudPopoverProvider>();
        return _ctx.Render<DateField>(p => p
            .Add(f => f.Label, "Close date")
            .Add(f => f.Date, _date)
            .Add(f => f.DateChanged, (DateTime? d) => _date = d));
    }

    [Theory]
    [InlineData("7 Mar 2026")]
    [InlineData("07 Mar 2026")]
    [InlineData("2026-03-07")]
    public void A_typed_date_is_taken(string typed)
    {
        var field = Render();

        field.Find("input").Change(typed);

        field.WaitForAssertion(() => Assert.Equal(new DateTime(2026, 3, 7), _date));
    }

    [Fact]
    public void The_field_is_editable_and_shows_the_apps_format()
    {
        var field = Render(new DateTime(2026, 12, 4));

        var input = field.Find("input");
        Assert.Null(input.GetAttribute("readonly"));
        Assert.Equal("4 Dec 2026", input.GetAttribute("value"));
    }

    [Fact]
    public void Text_that_is_no_date_says_what_to_type_and_stays_in_the_field()
    {
        var field = Render(new DateTime(2026, 12, 4));

        field.Find("input").Change("next Tuesday");

        field.WaitForAssertion(() => Assert.Contains("Type a date such as 4 Dec 2026 or 2026-12-04.", field.Markup, StringComparison.Ordinal));
        Assert.Equal("next Tuesday", field.Find("input").GetAttribute("value"));
        Assert.Null(_date); // no date: the form's own rule ("enter the date") refuses to save
    }

    public async ValueTask DisposeAsync() => await _ctx.DisposeAsync();
}
