using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

public sealed class SharedRiskTests
{
    private static RiskLibraryEntry Risk(string title = "Supplier delay") =>
        RiskLibraryEntry.Create(title, "A part arrives late", "We tell you the same day and offer a loan unit", [CommitmentKind.Delivery]);

    [Fact]
    public void Sharing_a_risk_keeps_the_title_and_response_as_they_were_shared()
    {
        var deal = Build.Deal();
        var risk = Risk();

        var shared = deal.ShareRisk(risk, Build.Rep, Build.Now);
        risk.Update("Renamed", "d", "Another response", []);

        Assert.Equal((risk.Id, "Supplier delay", "We tell you the same day and offer a loan unit", Build.Rep, Build.Now), (shared.RiskLibraryEntryId, shared.Title, shared.Response, shared.SharedBy, shared.SharedAt));
        Assert.Same(shared, Assert.Single(deal.SharedRisks));
    }

    [Fact]
    public void A_risk_is_shared_once_per_deal()
    {
        var deal = Build.Deal();
        var risk = Risk();
        deal.ShareRisk(risk, Build.Rep, Build.Now);

        var ex = Assert.Throws<DomainException>(() => deal.ShareRisk(risk, Build.Rep, Build.Now));

        Assert.Contains("already shared", ex.Message, StringComparison.Ordinal);
        Assert.Single(deal.SharedRisks);
    }

    [Fact]
    public void A_retired_risk_is_not_shared_again()
    {
        var deal = Build.Deal();
        var risk = Risk();
        risk.Retire();

        var ex = Assert.Throws<DomainException>(() => deal.ShareRisk(risk, Build.Rep, Build.Now));

        Assert.Contains("retired", ex.Message, StringComparison.Ordinal);
        Assert.Empty(deal.SharedRisks);
    }

    [Fact]
    public void A_closed_deal_shares_no_more_risks()
    {
        var deal = Build.PaidDeal();

        Assert.Throws<DomainException>(() => deal.ShareRisk(Risk(), Build.Rep, Build.Now));
    }

    [Fact]
    public void A_risk_without_kinds_applies_to_every_kind()
    {
        var everywhere = RiskLibraryEntry.Create("Key person leaves", "d", "r", []);
        var delivery = Risk();

        Assert.True(everywhere.AppliesToKind(CommitmentKind.Training));
        Assert.True(delivery.AppliesToKind(CommitmentKind.Delivery));
        Assert.False(delivery.AppliesToKind(CommitmentKind.Training));
    }

    [Fact]
    public void A_refused_update_leaves_the_library_entry_as_it_was()
    {
        var risk = Risk();

        Assert.Throws<DomainException>(() => risk.Update("New title", "New description", " ", []));

        Assert.Equal(("Supplier delay", "A part arrives late"), (risk.Title, risk.Description));
    }

    [Theory]
    [InlineData("", "d", "r", "Title")]
    [InlineData("t", " ", "r", "Description")]
    [InlineData("t", "d", "", "Usual response")]
    public void A_risk_needs_a_title_a_description_and_a_usual_response(string title, string description, string response, string missing)
    {
        var ex = Assert.Throws<DomainException>(() => RiskLibraryEntry.Create(title, description, response, []));

        Assert.Equal($"{missing} is required.", ex.Message);
    }
}
