using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.CustomerLinks;
using CommitmentTracker.Domain.Deals;
using static CommitmentTracker.Domain.Tests.Build;

namespace CommitmentTracker.Domain.Tests;

/// <summary>The rules of a customer's link (expiry, revocation, the stored hash) and of what the customer sees and does there.</summary>
public sealed class CustomerLinkTests
{
    private static readonly Guid DealId = Guid.NewGuid();

    private static CustomerLink Link(int expiryDays = CustomerLink.DefaultExpiryDays) =>
        CustomerLink.Create(DealId, ShareToken.New().Hash, expiryDays, Rep, Now);

    [Fact]
    public void A_new_link_is_active_until_its_expiry_and_expired_from_that_moment()
    {
        var link = Link(expiryDays: 14);

        Assert.Equal(Now.AddDays(14), link.ExpiresAt);
        Assert.True(link.IsActiveAt(Now.AddDays(14).AddTicks(-1)));
        Assert.Equal(CustomerLinkState.Expired, link.StateAt(Now.AddDays(14)));
        Assert.False(link.IsActiveAt(Now.AddDays(15)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(CustomerLink.MaxExpiryDays + 1)]
    public void An_expiry_outside_one_to_ninety_days_is_refused(int days)
    {
        var ex = Assert.Throws<DomainException>(() => Link(expiryDays: days));

        Assert.Equal("A customer's link expires after 1 to 90 days.", ex.Message);
    }

    [Fact]
    public void The_default_expiry_is_one_of_the_choices_and_every_choice_is_allowed()
    {
        Assert.Contains(CustomerLink.DefaultExpiryDays, CustomerLink.ExpiryChoices);
        Assert.All(CustomerLink.ExpiryChoices, days => Assert.Equal(Now.AddDays(days), Link(days).ExpiresAt));
    }

    [Fact]
    public void A_revoked_link_stops_at_once_says_so_even_after_its_expiry_and_cannot_be_revoked_twice()
    {
        var link = Link();

        link.Revoke(Manager, Now.AddHours(1));

        Assert.Equal((Manager, Now.AddHours(1)), (link.RevokedBy, link.RevokedAt));
        Assert.Equal(CustomerLinkState.Revoked, link.StateAt(Now.AddHours(1)));
        Assert.Equal(CustomerLinkState.Revoked, link.StateAt(Now.AddDays(400)));
        Assert.Equal("This link was already revoked.", Assert.Throws<DomainException>(() => link.Revoke(Rep, Now.AddHours(2))).Message);
    }

    [Fact]
    public void An_expired_link_cannot_be_revoked()
    {
        var link = Link(expiryDays: 14);

        var ex = Assert.Throws<DomainException>(() => link.Revoke(Rep, Now.AddDays(14)));

        Assert.Equal("This link has expired already: it no longer opens.", ex.Message);
        Assert.Null(link.RevokedAt);
    }

    [Fact]
    public void Only_the_hash_of_the_token_is_kept_and_a_hash_of_the_wrong_length_is_refused()
    {
        var (token, hash) = ShareToken.New();
        var link = CustomerLink.Create(DealId, hash, 30, Rep, Now);

        Assert.Equal(ShareToken.Hash(token), link.TokenHash);
        Assert.DoesNotContain(token, Convert.ToBase64String(link.TokenHash), StringComparison.Ordinal);
        Assert.True(ShareToken.Matches(link.TokenHash, ShareToken.Hash(token)));
        Assert.False(ShareToken.Matches(link.TokenHash, ShareToken.Hash(ShareToken.New().Token)));
        Assert.Throws<DomainException>(() => CustomerLink.Create(DealId, [1, 2, 3], 30, Rep, Now));
    }

    [Fact]
    public void The_customer_acting_through_a_link_is_named_by_the_link_and_told_apart_from_users()
    {
        var link = Link();

        Assert.StartsWith("customer via link ", link.Actor, StringComparison.Ordinal);
        Assert.True(CustomerLink.IsCustomerActor(link.Actor));
        Assert.False(CustomerLink.IsCustomerActor(Rep));
    }

    [Fact]
    public void The_customer_confirming_an_outcome_completes_its_acceptance_step_and_opens_the_delivery_gate()
    {
        var deal = OrderedDeal();
        var outcome = deal.AddCommitment(Ours(CommitmentKind.Outcome, description: "Pack 40 cases a minute"), LeadTimes.Defaults, Rep, Now, Today);
        var run = outcome.AddMilestone("Run the line for a week", null, Day(20));
        var acceptance = outcome.AddMilestone("Customer acceptance", null, Day(30), isCustomerAcceptance: true);
        Assert.Equal("The steps before your confirmation are not finished yet.", deal.WhyCustomerCannotAccept(outcome));
        Update(outcome, run, Done(Today));

        deal.RecordOutcomeAcceptance(outcome.Id, new CustomerAcceptance("Eva Buyer", Today, CommunicationChannel.Message), "customer via link 1234abcd", Now, Today);

        Assert.Equal(MilestoneStatus.Done, acceptance.Status);
        Assert.Equal("customer via link 1234abcd", acceptance.LastUpdatedBy);
        Assert.Equal(CommitmentStatus.Kept, outcome.Status);
        Assert.Equal("Eva Buyer", outcome.Acceptance?.ConfirmedBy);
        Assert.True(outcome.SatisfiesDelivery);
        Assert.Empty(deal.WhyCannotAdvance(DealStage.Delivered));
        Assert.Equal("This outcome has already been confirmed.", deal.WhyCustomerCannotAccept(outcome));
    }

    [Fact]
    public void An_outcome_without_milestones_is_completed_with_the_customers_confirmation()
    {
        var deal = Deal();
        var outcome = deal.AddCommitment(Ours(CommitmentKind.Outcome), LeadTimes.Defaults, Rep, Now, Today);

        deal.RecordOutcomeAcceptance(outcome.Id, new CustomerAcceptance("Eva Buyer", Today, CommunicationChannel.Message), "customer via link 1234abcd", Now, Today);

        Assert.Equal((CommitmentStatus.Kept, "Eva Buyer"), (outcome.Status, outcome.Acceptance?.ConfirmedBy));
    }

    [Fact]
    public void Only_an_outcome_we_promised_is_confirmed_by_the_customer_and_never_without_a_name()
    {
        var deal = Deal();
        var delivery = deal.AddCommitment(Ours(), LeadTimes.Defaults, Rep, Now, Today);
        var outcome = deal.AddCommitment(Ours(CommitmentKind.Outcome), LeadTimes.Defaults, Rep, Now, Today);

        var notOutcome = Assert.Throws<DomainException>(() =>
            deal.RecordOutcomeAcceptance(delivery.Id, new CustomerAcceptance("Eva Buyer", Today, CommunicationChannel.Message), "customer via link x", Now, Today));
        var noName = Assert.Throws<DomainException>(() =>
            deal.RecordOutcomeAcceptance(outcome.Id, new CustomerAcceptance(" ", Today, CommunicationChannel.Message), "customer via link x", Now, Today));

        Assert.Equal("Only an outcome we promised is confirmed by the customer.", notOutcome.Message);
        Assert.Contains("Your name", noName.Message, StringComparison.Ordinal);
        Assert.Equal((CommitmentStatus.Open, CommitmentStatus.Open), (delivery.Status, outcome.Status));
        Assert.Null(outcome.Acceptance);
    }

    [Fact]
    public void The_customer_sees_every_checklist_item_but_the_reps_self_check_and_the_outcome_in_their_words()
    {
        var deal = Deal();
        var outcomeItem = deal.Checklist.Single(i => i.Title == "Outcome");
        deal.AnswerChecklistItem(outcomeItem.Id, "Pack 45 cases a minute with two operators", Rep, Now);

        var shown = deal.Checklist.Where(CustomerWording.IsShownToCustomer).Select(i => i.Title).ToList();

        Assert.Equal(9, shown.Count);
        Assert.DoesNotContain("Self-check", shown);
        Assert.Equal("Pack 45 cases a minute with two operators", CustomerWording.ExpectedOutcome(deal));
        Assert.Equal("Pack 40 cases a minute on line 3", CustomerWording.ExpectedOutcome(Deal()));
    }

    [Fact]
    public void Statuses_read_in_plain_words_and_a_blocked_step_is_on_hold_without_its_reason()
    {
        Assert.Equal("On hold", CustomerWording.MilestoneStatus(MilestoneStatus.Blocked));
        Assert.Equal("Date passed, not done yet", CustomerWording.PromiseStatus(CommitmentStatus.Broken));
        Assert.Equal("Done, later than promised", CustomerWording.PromiseStatus(CommitmentStatus.KeptLate));
        Assert.Equal("Order received", CustomerWording.Stage(DealStage.Ordered));
    }
}
