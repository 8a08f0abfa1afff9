using Bunit;
using CommitmentTracker.Web.Features.DeliveryRecords;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;
using Record = CommitmentTracker.Web.Features.Dashboard.DeliveryRecord;

namespace CommitmentTracker.Web.Tests.Features.DeliveryRecords;

/// <summary>The quarter chart and the table agree: a quarter without a resolved promise is "no data", never a 0% bar.</summary>
public sealed class QuarterBarsTests : IDisposable
{
    private static readonly QuarterRecord Empty = new(new DateOnly(2025, 4, 1), Record.Empty);
    private static readonly QuarterRecord AllBroken = new(new DateOnly(2025, 7, 1), new Record(0, 0, 2));
    private static readonly QuarterRecord Kept = new(new DateOnly(2025, 10, 1), new Record(3, 1, 0));

    private readonly BunitContext _ctx = new();

    public QuarterBarsTests()
    {
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
    }

    [Fact]
    public void An_empty_quarter_draws_no_bar_but_a_no_data_marker_with_a_text_alternative()
    {
        var chart = _ctx.Render<QuarterBars>(p => p.Add(c => c.ByQuarter, [Empty, AllBroken, Kept]));

        var empty = chart.Find("[data-quarter='Q2 2025']");
        Assert.Equal("false", empty.GetAttribute("data-has-data"));
        Assert.Empty(empty.QuerySelectorAll("[data-testid='quarter-bar-fill']"));
        Assert.NotNull(empty.QuerySelector("[data-testid='quarter-bar-empty']"));
        Assert.Equal("Q2 2025: no data, no promise came due", empty.QuerySelector("[data-testid='quarter-bar-text']")!.TextContent);
        Assert.Contains("no data", empty.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quarter_with_promises_draws_its_rate_even_at_zero_percent()
    {
        var chart = _ctx.Render<QuarterBars>(p => p.Add(c => c.ByQuarter, [Empty, AllBroken, Kept]));

        var broken = chart.Find("[data-quarter='Q3 2025']");
        var kept = chart.Find("[data-quarter='Q4 2025']");
        Assert.NotNull(broken.QuerySelector("[data-testid='quarter-bar-fill']"));
        Assert.Equal("Q3 2025: 0% kept on time (0 of 2)", broken.QuerySelector("[data-testid='quarter-bar-text']")!.TextContent);
        Assert.Contains("height:75%", kept.QuerySelector("[data-testid='quarter-bar-fill']")!.GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_quarter_table_says_no_data_where_the_chart_does()
    {
        var figures = _ctx.Render<RecordFiguresView>(p => p.Add(c => c.Figures, new RecordFigures([Empty, Kept], new Record(3, 1, 0), [])));

        var rows = figures.FindAll("[data-testid='delivery-record-quarters'] tbody tr");
        Assert.Equal("no data", rows.Single(r => r.TextContent.Contains("Q2 2025", StringComparison.Ordinal)).Children[^1].TextContent.Trim());
        Assert.Equal("75%", rows.Single(r => r.TextContent.Contains("Q4 2025", StringComparison.Ordinal)).Children[^1].TextContent.Trim());
    }

    public void Dispose() => _ctx.Dispose();
}
