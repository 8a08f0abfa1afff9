using CommitmentTracker.Domain.Deals;

namespace CommitmentTracker.Domain.Tests;

public sealed class TouchpointTests
{
    [Fact]
    public void Completing_a_touchpoint_links_the_communication_entry_that_records_it()
    {
        var deal = Build.Deal();
        var touchpoint = deal.Touchpoints[0];
        var entryId = Guid.NewGuid();

        deal.CompleteTouchpoint(touchpoint.Id, entryId, Build.Rep, Build.Now);

        Assert.Equal((entryId, Build.Rep, Build.Now), (touchpoint.CommunicationEntryId!.Value, touchpoint.CompletedBy!, touchpoint.CompletedAt!.Value));
        Assert.False(touchpoint.IsOpen);
    }

    [Fact]
    public void A_touchpoint_is_completed_once()
    {
        var deal = Build.Deal();
        var touchpoint = deal.Touchpoints[0];
        var first = Guid.NewGuid();
        deal.CompleteTouchpoint(touchpoint.Id, first, Build.Rep, Build.Now);

        var ex = Assert.Throws<DomainException>(() => deal.CompleteTouchpoint(touchpoint.Id, Guid.NewGuid(), Build.Rep, Build.Now.AddHours(1)));

        Assert.Contains("already done", ex.Message, StringComparison.Ordinal);
        Assert.Equal((first, Build.Now), (touchpoint.CommunicationEntryId!.Value, touchpoint.CompletedAt!.Value));
    }

    [Fact]
    public void A_cancelled_touchpoint_cannot_be_completed()
    {
        var deal = Build.OrderedDeal();
        var chase = deal.Touchpoints.Single(t => t.Kind == TouchpointKind.ChasePurchaseOrder);

        var ex = Assert.Throws<DomainException>(() => deal.CompleteTouchpoint(chase.Id, Guid.NewGuid(), Build.Rep, Build.Now));

        Assert.Contains("no longer needed", ex.Message, StringComparison.Ordinal);
        Assert.Null(chase.CompletedAt);
    }

    [Fact]
    public void A_touchpoint_of_another_deal_cannot_be_completed_here()
    {
        var other = Build.Deal().Touchpoints[0];

        Assert.Throws<DomainException>(() => Build.Deal().CompleteTouchpoint(other.Id, Guid.NewGuid(), Build.Rep, Build.Now));
    }

    [Fact]
    public void An_open_touchpoint_is_overdue_only_after_its_due_day()
    {
        var deal = Build.Deal(closeDate: Build.Today);
        var comfort = deal.Touchpoints.Single(t => t.Kind == TouchpointKind.ConfirmDecisionComfort);

        Assert.False(comfort.IsOverdue(Build.Day(2)));
        Assert.True(comfort.IsOverdue(Build.Day(3)));
        deal.CompleteTouchpoint(comfort.Id, Guid.NewGuid(), Build.Rep, Build.Now);
        Assert.False(comfort.IsOverdue(Build.Day(3)));
    }
}
