using CommitmentTracker.Domain.Checklists;

namespace CommitmentTracker.Domain.Tests;

public sealed class ChecklistTemplateTests
{
    [Fact]
    public void The_default_checklist_has_the_ten_items_of_the_design_with_eight_required()
    {
        var template = Build.Checklist();

        Assert.Equal(10, template.Items.Count);
        Assert.Equal(Enumerable.Range(1, 10), template.Items.Select(i => i.Position));
        Assert.Equal(8, template.Items.Count(i => i.Required));
        Assert.Equal(("Outcome", "Self-check"), (template.Items[0].Title, template.Items[^1].Title));
        Assert.True(template.IsActive);
    }

    [Fact]
    public void Revising_makes_the_next_version_and_retires_the_old_one()
    {
        var v1 = Build.Checklist();
        var at = Build.Now.AddDays(1);

        var v2 = v1.Revise([new("Outcome", "", true), new("Budget owner", "Who signs", true)], "admin-2", at);

        Assert.Equal(2, v2.Version);
        Assert.NotEqual(v1.Id, v2.Id);
        Assert.True(v2.IsActive);
        Assert.False(v1.IsActive);
        Assert.Equal(("admin-2", at), (v2.CreatedBy, v2.CreatedAt));
        Assert.Equal(10, v1.Items.Count);
    }

    [Fact]
    public void Only_the_current_version_can_be_revised()
    {
        var v1 = Build.Checklist();
        v1.Revise(ChecklistTemplate.DefaultItems, Build.Admin, Build.Now);

        Assert.Throws<DomainException>(() => v1.Revise(ChecklistTemplate.DefaultItems, Build.Admin, Build.Now));
    }

    [Fact]
    public void A_deal_created_earlier_keeps_its_checklist_when_the_template_is_revised()
    {
        var v1 = Build.Checklist();
        var earlier = Build.Deal(v1);

        var v2 = v1.Revise([new("Outcome", "", true)], Build.Admin, Build.Now);
        var later = Build.Deal(v2);

        Assert.Equal((v1.Id, 1, 10), (earlier.ChecklistTemplateId, earlier.ChecklistVersion, earlier.Checklist.Count));
        Assert.Equal((v2.Id, 2, 1), (later.ChecklistTemplateId, later.ChecklistVersion, later.Checklist.Count));
    }

    [Fact]
    public void Two_items_with_the_same_title_are_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Build.Checklist(new("Money", "", true), new(" money ", "", false)));

        Assert.Contains("\"Money\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revision_with_duplicate_titles_leaves_the_current_version_active()
    {
        var v1 = Build.Checklist();

        Assert.Throws<DomainException>(() => v1.Revise([new("Money", "", true), new("Money", "", true)], Build.Admin, Build.Now));
        Assert.True(v1.IsActive);
    }

    [Fact]
    public void An_empty_checklist_is_refused()
    {
        Assert.Throws<DomainException>(() => ChecklistTemplate.Create(1, [], Build.Admin, Build.Now));
        Assert.Throws<DomainException>(() => Build.Checklist().Revise([], Build.Admin, Build.Now));
    }

    [Fact]
    public void Checklist_versions_start_at_one()
    {
        Assert.Throws<DomainException>(() => ChecklistTemplate.Create(0, ChecklistTemplate.DefaultItems, Build.Admin, Build.Now));
    }

    [Fact]
    public void An_item_needs_a_title()
    {
        Assert.Equal("Item title is required.", Assert.Throws<DomainException>(() => Build.Checklist(new ChecklistTemplateItemDraft(" ", "Guidance", true))).Message);
    }
}

public sealed class ChecklistAnswerTests
{
    [Fact]
    public void An_answer_records_who_answered_and_when()
    {
        var deal = Build.Deal();
        var item = deal.Checklist[0];

        deal.AnswerChecklistItem(item.Id, " 40 cases a minute ", Build.Rep, Build.Now);

        Assert.Equal(("40 cases a minute", Build.Rep, Build.Now), (item.Answer!, item.AnsweredBy!, item.AnsweredAt!.Value));
        Assert.DoesNotContain(item, deal.OpenRequiredItems);
    }

    [Fact]
    public void Clearing_an_answer_reopens_the_item()
    {
        var deal = Build.Deal();
        var item = deal.Checklist[0];
        deal.AnswerChecklistItem(item.Id, "Yes", Build.Rep, Build.Now);

        deal.AnswerChecklistItem(item.Id, "  ", Build.Rep, Build.Now);

        Assert.False(item.IsAnswered);
        Assert.Null(item.AnsweredBy);
        Assert.Contains(item, deal.OpenRequiredItems);
    }

    [Fact]
    public void An_item_from_another_deal_cannot_be_answered()
    {
        var other = Build.Deal().Checklist[0];

        Assert.Throws<DomainException>(() => Build.Deal().AnswerChecklistItem(other.Id, "Yes", Build.Rep, Build.Now));
    }

    [Fact]
    public void A_closed_deals_checklist_cannot_be_changed()
    {
        var deal = Build.Deal();
        deal.MarkLost(Deals.LostReason.NoBudget, null, Build.Rep, Build.Now);

        Assert.Throws<DomainException>(() => deal.AnswerChecklistItem(deal.Checklist[0].Id, "Yes", Build.Rep, Build.Now));
    }

    [Fact]
    public void The_customer_acknowledges_the_checklist_only_once_every_required_item_is_answered()
    {
        var deal = Build.Deal();
        var acknowledgement = new Commitments.CustomerAcknowledgement("Eva Buyer", Build.Now, CommunicationChannel.Meeting);

        var ex = Assert.Throws<DomainException>(() => deal.RecordChecklistAcknowledgement(acknowledgement, Build.Now));
        Assert.Contains("every required item", ex.Message, StringComparison.Ordinal);
        Assert.Null(deal.ChecklistAcknowledgement);

        Build.AnswerRequiredItems(deal);
        deal.RecordChecklistAcknowledgement(acknowledgement, Build.Now);
        Assert.Equal(acknowledgement, deal.ChecklistAcknowledgement);
    }

    [Fact]
    public void A_checklist_acknowledgement_cannot_be_dated_in_the_future_or_be_anonymous()
    {
        var deal = Build.AnswerRequiredItems(Build.Deal());

        Assert.Throws<DomainException>(() => deal.RecordChecklistAcknowledgement(new("Eva Buyer", Build.Now.AddHours(1), CommunicationChannel.Email), Build.Now));
        Assert.Throws<DomainException>(() => deal.RecordChecklistAcknowledgement(new("", Build.Now, CommunicationChannel.Email), Build.Now));
        Assert.Null(deal.ChecklistAcknowledgement);
    }

    [Fact]
    public void A_paid_deals_checklist_takes_no_new_acknowledgement()
    {
        var deal = Build.PaidDeal();

        var ex = Assert.Throws<DomainException>(() => deal.RecordChecklistAcknowledgement(new("Eva Buyer", Build.Now, CommunicationChannel.Email), Build.Now));

        Assert.Equal("This deal is paid and can no longer be changed.", ex.Message);
        Assert.Null(deal.ChecklistAcknowledgement);
    }
}
