using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Deals;

namespace CommitmentTracker.Domain.Tests;

public sealed class DealCreationTests
{
    [Fact]
    public void A_new_deal_starts_verbal_with_a_stage_change_by_its_owner()
    {
        var deal = Build.Deal();

        Assert.Equal(DealStage.Verbal, deal.Stage);
        Assert.Equal(Build.Now, deal.StageEnteredAt);
        var change = Assert.Single(deal.StageHistory);
        Assert.Null(change.From);
        Assert.Equal(DealStage.Verbal, change.To);
        Assert.Equal(Build.Rep, change.ByUserId);
        Assert.Equal(Build.Now, change.At);
    }

    [Fact]
    public void A_new_deal_copies_the_items_of_the_pinned_checklist_version()
    {
        var template = Build.Checklist(new("Outcome", "In their words", true), new("Self-check", "", false));

        var deal = Build.Deal(template);

        Assert.Equal(template.Id, deal.ChecklistTemplateId);
        Assert.Equal(template.Version, deal.ChecklistVersion);
        Assert.Collection(
            deal.Checklist,
            i => Assert.Equal((1, "Outcome", "In their words", true, false), (i.Position, i.Title, i.Guidance, i.Required, i.IsAnswered)),
            i => Assert.Equal((2, "Self-check", "", false, false), (i.Position, i.Title, i.Guidance, i.Required, i.IsAnswered)));
    }

    [Fact]
    public void A_new_deal_plans_comfort_road_and_purchase_order_touchpoints_two_five_and_seven_days_after_close()
    {
        var close = Build.Day(-10);

        var deal = Build.Deal(closeDate: close);

        Assert.Equal(
            new[]
            {
                (TouchpointKind.ConfirmDecisionComfort, close.AddDays(2)),
                (TouchpointKind.WalkThroughRoadToDelivery, close.AddDays(5)),
                (TouchpointKind.ChasePurchaseOrder, close.AddDays(7)),
            },
            deal.Touchpoints.Select(t => (t.Kind, t.DueOn)));
        Assert.All(deal.Touchpoints, t => Assert.True(t.IsOpen && t.CommitmentId is null));
    }

    [Fact]
    public void A_deal_is_logged_on_or_after_its_close_date()
    {
        var ex = Assert.Throws<DomainException>(() => Build.Deal(closeDate: Build.Day(1)));

        Assert.Contains("close date", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Build.Today, Build.Deal(closeDate: Build.Today).CloseDate);
    }

    [Fact]
    public void A_new_deal_cannot_use_a_retired_checklist_version()
    {
        var old = Build.Checklist();
        old.Revise(ChecklistTemplate.DefaultItems, Build.Admin, Build.Now);

        var ex = Assert.Throws<DomainException>(() => Build.Deal(old));

        Assert.Contains("current checklist version", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "rep", "outcome", "Title")]
    [InlineData("Deal", " ", "outcome", "Owner")]
    [InlineData("Deal", "rep", "  ", "Expected outcome")]
    public void A_deal_needs_a_title_an_owner_and_an_expected_outcome(string title, string owner, string outcome, string missing)
    {
        var ex = Assert.Throws<DomainException>(() => Deal.Create(
            Guid.NewGuid(), title, owner, Money.Of(1, "EUR"), outcome, Build.Today, Build.Checklist(), Build.Now, Build.Today));

        Assert.Equal($"{missing} is required.", ex.Message);
    }

    [Fact]
    public void A_deal_value_built_without_money_validation_is_still_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Deal.Create(
            Guid.NewGuid(), "Deal", "rep", new Money(-5, "EUR"), "outcome", Build.Today, Build.Checklist(), Build.Now, Build.Today));

        Assert.Contains("negative", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Days_in_stage_count_whole_days_since_the_stage_was_entered()
    {
        var deal = Build.Deal();

        Assert.Equal(0, deal.DaysInStage(Build.Now.AddHours(23)));
        Assert.Equal(12, deal.DaysInStage(Build.Now.AddDays(12).AddHours(3)));
        Assert.Equal(0, deal.DaysInStage(Build.Now.AddDays(-1)));
    }

    [Fact]
    public void Changing_the_close_date_moves_the_open_post_sale_touchpoints_with_it()
    {
        var deal = Build.Deal(closeDate: Build.Day(-10));

        deal.UpdateDetails("Packaging line 3", Money.Of(1, "EUR"), "Pack 40 cases a minute", Build.Day(-4), Build.Today);

        Assert.Equal(
            new[] { Build.Day(-2), Build.Day(1), Build.Day(3) },
            deal.Touchpoints.Select(t => t.DueOn));
    }

    [Fact]
    public void A_refused_edit_leaves_the_deal_as_it_was()
    {
        var deal = Build.Deal();

        Assert.Throws<DomainException>(() => deal.UpdateDetails("New title", Money.Of(1, "EUR"), "outcome", Build.Day(1), Build.Today));
        Assert.Throws<DomainException>(() => deal.UpdateDetails("New title", Money.Of(1, "EUR"), " ", Build.Today, Build.Today));

        Assert.Equal(("Packaging line 3", 120_000m, Build.Today), (deal.Title, deal.Value.Amount, deal.CloseDate));
    }

    [Fact]
    public void A_closed_deal_cannot_be_edited()
    {
        var deal = Build.PaidDeal();

        var ex = Assert.Throws<DomainException>(() => deal.UpdateDetails("Other", Money.Of(1, "EUR"), "outcome", Build.Today, Build.Today));

        Assert.Contains("paid", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class MoneyTests
{
    [Fact]
    public void Money_normalises_the_currency_code_and_rounds_to_cents()
    {
        var money = Money.Of(1234.567m, " usd ");

        Assert.Equal(new Money(1234.57m, "USD"), money);
        Assert.Equal(0m, Money.Of(0, "EUR").Amount);
    }

    [Fact]
    public void A_negative_amount_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Money.Of(-0.01m, "EUR"));

        Assert.Contains("negative", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("EU")]
    [InlineData("EURO")]
    [InlineData("E1R")]
    [InlineData("€€€")]
    public void A_currency_must_be_a_three_letter_code(string currency)
    {
        Assert.Throws<DomainException>(() => Money.Of(10, currency));
    }
}
