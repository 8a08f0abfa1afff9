using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Tests;

public sealed class MilestonePlanTests
{
    private static Commitment Outcome() => Build.Promise(draft: Build.Ours(CommitmentKind.Outcome));

    private static string[] Titles(Commitment promise) => promise.Milestones.Select(m => $"{m.Position}:{m.Title}").ToArray();

    [Fact]
    public void Milestones_are_numbered_in_the_order_they_are_added()
    {
        var promise = Build.Promise();

        var order = promise.AddMilestone("Order parts", Build.ServiceUser, Build.Day(10));
        promise.AddMilestone("Ship", null, Build.Day(60));

        Assert.Equal(["1:Order parts", "2:Ship"], Titles(promise));
        Assert.Equal((MilestoneStatus.NotStarted, Build.ServiceUser, Build.Day(10), Build.Day(10)), (order.Status, order.AssigneeId!, order.PlannedDate, order.ExpectedDate));
    }

    [Fact]
    public void A_step_added_to_an_outcome_goes_before_the_customers_acceptance()
    {
        var promise = Outcome();
        promise.AddMilestone("Install", null, Build.Day(40));
        promise.AddMilestone("Customer acceptance", null, Build.Day(70), isCustomerAcceptance: true);

        promise.AddMilestone("Tune", null, Build.Day(50));

        Assert.Equal(["1:Install", "2:Tune", "3:Customer acceptance"], Titles(promise));
    }

    [Fact]
    public void A_promise_has_at_most_one_acceptance_step()
    {
        var promise = Outcome();
        promise.AddMilestone("Customer acceptance", null, Build.Day(70), isCustomerAcceptance: true);

        Assert.Throws<DomainException>(() => promise.AddMilestone("Second sign-off", null, Build.Day(70), isCustomerAcceptance: true));
        Assert.Single(promise.Milestones);
    }

    [Fact]
    public void A_milestone_needs_a_title()
    {
        Assert.Throws<DomainException>(() => Build.Promise().AddMilestone(" ", null, Build.Day(5)));
    }

    [Fact]
    public void A_closed_promise_takes_no_new_milestones()
    {
        var promise = Build.Promise();
        promise.Complete(Build.Today, Build.Today);

        Assert.Throws<DomainException>(() => promise.AddMilestone("Late step", null, Build.Day(5)));
    }

    [Fact]
    public void Moving_a_milestone_renumbers_the_plan()
    {
        var promise = Build.Promise();
        promise.AddMilestone("A", null, Build.Day(1));
        promise.AddMilestone("B", null, Build.Day(2));
        var c = promise.AddMilestone("C", null, Build.Day(3));

        promise.MoveMilestone(c.Id, 1);

        Assert.Equal(["1:C", "2:A", "3:B"], Titles(promise));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void A_milestone_cannot_move_outside_the_plan(int position)
    {
        var promise = Build.Promise();
        var a = promise.AddMilestone("A", null, Build.Day(1));
        promise.AddMilestone("B", null, Build.Day(2));

        Assert.Throws<DomainException>(() => promise.MoveMilestone(a.Id, position));
        Assert.Equal(["1:A", "2:B"], Titles(promise));
    }

    [Fact]
    public void The_customers_acceptance_stays_the_last_step_of_an_outcome()
    {
        var promise = Outcome();
        var install = promise.AddMilestone("Install", null, Build.Day(40));
        promise.AddMilestone("Tune", null, Build.Day(50));
        var acceptance = promise.AddMilestone("Customer acceptance", null, Build.Day(70), isCustomerAcceptance: true);

        Assert.Contains("last step", Assert.Throws<DomainException>(() => promise.MoveMilestone(acceptance.Id, 2)).Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => promise.MoveMilestone(install.Id, 3));
        promise.MoveMilestone(install.Id, 2);

        Assert.Equal(["1:Tune", "2:Install", "3:Customer acceptance"], Titles(promise));
    }

    [Fact]
    public void Removing_a_milestone_renumbers_the_rest()
    {
        var promise = Build.Promise();
        promise.AddMilestone("A", null, Build.Day(1));
        var b = promise.AddMilestone("B", null, Build.Day(2));
        promise.AddMilestone("C", null, Build.Day(3));

        promise.RemoveMilestone(b.Id, Build.Today);

        Assert.Equal(["1:A", "2:C"], Titles(promise));
    }

    [Fact]
    public void A_milestone_with_recorded_updates_cannot_be_removed()
    {
        var promise = Build.Promise();
        var ship = promise.AddMilestone("Ship", null, Build.Day(60));
        Build.Update(promise, ship, new MilestoneChange(MilestoneStatus.InProgress, Build.Day(61)));

        var ex = Assert.Throws<DomainException>(() => promise.RemoveMilestone(ship.Id, Build.Today));

        Assert.Contains("\"Ship\" has recorded updates", ex.Message, StringComparison.Ordinal);
        Assert.Single(promise.Milestones);
    }

    [Fact]
    public void Removing_the_last_unfinished_milestone_completes_the_promise()
    {
        var promise = Build.Promise();
        var build = promise.AddMilestone("Build", null, Build.Day(5));
        var extra = promise.AddMilestone("Extra check", null, Build.Day(6));
        Build.Update(promise, build, Build.Done(Build.Today));

        promise.RemoveMilestone(extra.Id, Build.Today);

        Assert.Equal(CommitmentStatus.Kept, promise.Status);
    }

    [Fact]
    public void Replanning_a_milestone_changes_its_title_assignee_and_date()
    {
        var promise = Build.Promise();
        var ship = promise.AddMilestone("Ship", null, Build.Day(60));

        promise.PlanMilestone(ship.Id, "Ship by air", Build.ServiceUser, Build.Day(55));

        Assert.Equal(("Ship by air", Build.ServiceUser, Build.Day(55)), (ship.Title, ship.AssigneeId!, ship.PlannedDate));
    }

    [Fact]
    public void A_milestone_of_another_promise_is_not_found()
    {
        var other = Build.Promise().AddMilestone("Ship", null, Build.Day(60));

        Assert.Throws<DomainException>(() => Build.Promise().FindMilestone(other.Id));
    }
}
