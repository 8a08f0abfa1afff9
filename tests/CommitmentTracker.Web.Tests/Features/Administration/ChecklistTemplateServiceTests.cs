using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Administration;

/// <summary>The checklist template: saving makes a new version; deals keep the version they were created with.</summary>
public sealed class ChecklistTemplateServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private ChecklistTemplateService Service => new(database, new FakeTimeProvider(Now), new ChecklistTemplateValidator());

    private static ChecklistTemplateInput Edited(ChecklistTemplateView view, Action<List<ChecklistItemInput>> change)
    {
        var items = view.Items.Select(i => new ChecklistItemInput { Title = i.Title, Guidance = i.Guidance, Required = i.Required }).ToList();
        change(items);
        return new ChecklistTemplateInput { Items = items };
    }

    [Fact]
    public async Task Saving_an_edited_checklist_makes_a_new_active_version_in_the_new_order()
    {
        var admin = await database.CreateAsync(AppRoles.Admin, name: "Ada Checklist");
        var before = await Service.GetAsync(admin, Cancel);
        var input = Edited(before, items =>
        {
            (items[0], items[1]) = (items[1], items[0]);
            items[2].Required = !items[2].Required;
            items.RemoveAt(items.Count - 1);
            items.Add(new ChecklistItemInput { Title = $"Site survey {Guid.NewGuid():N}"[..20], Guidance = "The site was surveyed with the customer.", Required = true });
        });

        var version = await Service.ReviseAsync(admin, before.TemplateId, before.RowVersion, input, Cancel);

        var after = await Service.GetAsync(admin, Cancel);
        Assert.Equal(before.Version + 1, version);
        Assert.Equal(version, after.Version);
        Assert.Equal(input.Items.Select(i => (i.Title, i.Required)), after.Items.Select(i => (i.Title, i.Required)));
        Assert.Equal(Enumerable.Range(1, input.Items.Count), after.Items.Select(i => i.Position));
        var newest = after.History[0];
        Assert.Equal((version, "Ada Checklist", Now, true), (newest.Version, newest.CreatedBy, newest.CreatedAt, newest.IsActive));
        Assert.Contains(after.History, h => h.Version == before.Version && !h.IsActive);
        Assert.Equal(1, await database.QueryAsync(db => db.ChecklistTemplates.CountAsync(t => t.IsActive, Cancel)));
    }

    [Fact]
    public async Task A_deal_created_before_keeps_its_version_and_items_and_a_new_deal_gets_the_new_version()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var earlier = await database.CreateDealAsync(rep);
        var before = await Service.GetAsync(admin, Cancel);
        var earlierItems = (await database.QueryAsync(db => db.LoadDealAsync(earlier.Id))).Checklist.Select(i => (i.Title, i.Required)).ToList();

        var version = await Service.ReviseAsync(admin, before.TemplateId, before.RowVersion, Edited(before, items =>
        {
            items[0].Title = "Outcome, in the customer's words";
            items[0].Required = false;
            items.Add(new ChecklistItemInput { Title = $"Escalation path {Guid.NewGuid():N}"[..24], Guidance = "Who the customer calls when a date slips.", Required = true });
        }), Cancel);

        var kept = await database.QueryAsync(db => db.LoadDealAsync(earlier.Id));
        Assert.Equal(before.Version, kept.ChecklistVersion);
        Assert.Equal(before.TemplateId, kept.ChecklistTemplateId);
        Assert.Equal(earlierItems, kept.Checklist.Select(i => (i.Title, i.Required)));
        var laterDeal = await database.CreateDealAsync(rep);
        var later = await database.QueryAsync(db => db.LoadDealAsync(laterDeal.Id));
        Assert.Equal(version, later.ChecklistVersion);
        Assert.Contains(later.Checklist, i => i.Title == "Outcome, in the customer's words" && !i.Required);
    }

    [Fact]
    public async Task An_empty_checklist_a_blank_title_or_two_items_with_one_title_are_refused_and_no_version_is_made()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var before = await Service.GetAsync(admin, Cancel);

        var empty = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.ReviseAsync(admin, before.TemplateId, before.RowVersion, new ChecklistTemplateInput(), Cancel));
        var blank = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.ReviseAsync(admin, before.TemplateId, before.RowVersion, Edited(before, items => items[3].Title = " "), Cancel));
        var twice = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.ReviseAsync(admin, before.TemplateId, before.RowVersion, Edited(before, items => items[1].Title = items[0].Title.ToUpperInvariant() + " "), Cancel));

        Assert.Equal("The checklist needs at least one item.", Assert.Single(empty.Errors).ErrorMessage);
        Assert.Equal("Give the item a short title.", Assert.Single(blank.Errors).ErrorMessage);
        Assert.Contains("Two items are titled", Assert.Single(twice.Errors).ErrorMessage, StringComparison.Ordinal);
        var after = await Service.GetAsync(admin, Cancel);
        Assert.Equal((before.Version, before.History.Count), (after.Version, after.History.Count));
    }

    [Fact]
    public async Task Saving_over_a_version_someone_else_replaced_meanwhile_is_refused()
    {
        var first = await database.CreateAsync(AppRoles.Admin, name: "First Admin");
        var second = await database.CreateAsync(AppRoles.Admin);
        var seen = await Service.GetAsync(second, Cancel);
        await Service.ReviseAsync(first, seen.TemplateId, seen.RowVersion, Edited(seen, items => items.Reverse()), Cancel);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Service.ReviseAsync(second, seen.TemplateId, seen.RowVersion, Edited(seen, items => items.RemoveAt(0)), Cancel));

        Assert.Contains($"First Admin saved the checklist as version {seen.Version + 1}", conflict.Message, StringComparison.Ordinal);
        var after = await Service.GetAsync(first, Cancel);
        Assert.Equal(seen.Version + 1, after.Version);
        Assert.Equal(seen.Items.Count, after.Items.Count);
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_edit_the_checklist(string role)
    {
        var caller = await database.CreateAsync(role, await database.CreateTeamAsync());
        var admin = await database.CreateAsync(AppRoles.Admin);
        var before = await Service.GetAsync(admin, Cancel);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetAsync(caller, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Service.ReviseAsync(caller, before.TemplateId, before.RowVersion, Edited(before, items => items.RemoveAt(0)), Cancel));

        Assert.Equal(before.Version, (await Service.GetAsync(admin, Cancel)).Version);
    }
}
