using System.Text.Json;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.DeliveryRecords;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Record = CommitmentTracker.Web.Features.Dashboard.DeliveryRecord;

namespace CommitmentTracker.Web.Tests.Features.DeliveryRecords;

/// <summary>
/// The delivery record for prospects on a prepared team (see <see cref="ArrangeAsync"/>), on the test clock
/// (2 Mar 2026: the eight quarters run from Q2 2024 to Q1 2026): the figures per quarter, in total and per kind, the
/// team's own promises only, no customer text in the data, and who may see it.
/// </summary>
public sealed class DeliveryRecordServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset ClosedAt = new(2024, 1, 8, 9, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly ClosedOn = new(2024, 1, 8);

    private readonly DeliveryRecordService _records = new(database, new FakeTimeProvider(TestDeals.Now), new ShareRecordValidator());

    [Fact]
    public async Task The_quarters_show_the_hand_computed_record_of_the_team()
    {
        var north = await ArrangeAsync();

        var view = await _records.GetAsync(north.Rep, cancellationToken: Cancel);

        Assert.Equal((north.Team.Id, north.Team.Name, true), (view.TeamId, view.TeamName, view.HasTeam));
        Assert.Equal(8, view.ByQuarter.Count);
        Assert.Equal(("Q2 2024", "Q1 2026"), (view.ByQuarter[0].Label, view.ByQuarter[^1].Label));
        Assert.Equal(new Dictionary<string, Record>
        {
            ["Q1 2025"] = new(1, 0, 0),
            ["Q2 2025"] = new(0, 1, 0),
            ["Q3 2025"] = new(1, 0, 0),
            ["Q4 2025"] = new(1, 0, 1),
            ["Q1 2026"] = new(1, 0, 0),
        }, view.ByQuarter.Where(q => q.Record.Total > 0).ToDictionary(q => q.Label, q => q.Record));
        Assert.Equal(new Record(4, 1, 1), view.Total);
        Assert.Equal(0.6667m, view.Total.OnTimeRate);
        Assert.Equal(
            new[] { new KindRecord(CommitmentKind.Delivery, new(2, 0, 1)), new KindRecord(CommitmentKind.Installation, new(0, 1, 0)),
                    new KindRecord(CommitmentKind.Training, new(1, 0, 0)), new KindRecord(CommitmentKind.Support, new(1, 0, 0)) },
            view.ByKind);
    }

    [Fact]
    public async Task The_data_names_no_customer_no_deal_and_no_promise()
    {
        var north = await ArrangeAsync();

        var view = await _records.GetAsync(north.Manager, cancellationToken: Cancel);
        var json = JsonSerializer.Serialize(view);

        Assert.False(view.IsEmpty);
        foreach (var text in north.CustomerTexts)
            Assert.DoesNotContain(text, json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Another_teams_promises_are_not_counted_whatever_team_is_asked_for()
    {
        var north = await ArrangeAsync();

        var asked = await _records.GetAsync(north.Manager, north.South.Id, Cancel);
        var south = await _records.GetAsync(north.SouthRep, cancellationToken: Cancel);

        Assert.Equal((north.Team.Id, new Record(4, 1, 1)), (asked.TeamId, asked.Total));
        Assert.Equal((north.South.Id, new Record(1, 0, 1)), (south.TeamId, south.Total));
    }

    [Fact]
    public async Task An_admin_picks_a_team_or_sees_every_team()
    {
        var north = await ArrangeAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);

        var picked = await _records.GetAsync(admin, north.South.Id, Cancel);
        var all = await _records.GetAsync(admin, cancellationToken: Cancel);

        Assert.Equal(new Record(1, 0, 1), picked.Total);
        Assert.Contains(all.Teams, t => t.Value == north.Team.Id);
        Assert.Equal("All teams", all.TeamName);
        Assert.True(all.Total.Total >= 8);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _records.GetAsync(admin, Guid.NewGuid(), Cancel));
    }

    [Fact]
    public async Task A_team_without_history_gets_an_empty_record_and_a_rep_without_a_team_no_record()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var loner = await database.CreateAsync(AppRoles.Rep);

        var empty = await _records.GetAsync(rep, cancellationToken: Cancel);
        var none = await _records.GetAsync(loner, cancellationToken: Cancel);

        Assert.True(empty.IsEmpty);
        Assert.Equal(8, empty.ByQuarter.Count);
        Assert.Null(empty.Total.OnTimeRate);
        Assert.False(none.HasTeam);
    }

    [Fact]
    public async Task A_reps_record_counts_only_the_promises_of_their_deals()
    {
        var north = await ArrangeAsync();

        var own = await _records.GetRepAsync(north.Rep, north.Rep.UserId, Cancel);
        var colleague = await _records.GetRepAsync(north.Manager, north.Colleague.UserId, Cancel);

        Assert.Equal((north.Rep.UserId, north.Rep.DisplayName, north.Team.Id), (own.RepId, own.RepName, own.TeamId));
        Assert.Equal(new Record(4, 1, 1), own.Total);
        Assert.Equal(new Record(0, 0, 0), colleague.Total);
        Assert.Equal(8, colleague.ByQuarter.Count);
        Assert.All(colleague.ByQuarter, q => Assert.False(q.HasData));
    }

    [Fact]
    public async Task A_manager_sees_each_reps_record_counted_by_the_database_and_a_rep_only_their_own_option()
    {
        var north = await ArrangeAsync();

        var managers = await _records.GetAsync(north.Manager, cancellationToken: Cancel);
        var reps = await _records.GetAsync(north.Rep, cancellationToken: Cancel);

        Assert.Equal(
            new[] { (north.Colleague.UserId, new Record(0, 0, 0)), (north.Rep.UserId, new Record(4, 1, 1)) }.OrderBy(r => r.Item1),
            managers.ByRep.Select(r => (r.RepId, r.Record)).OrderBy(r => r.Item1));
        Assert.Equal(new[] { north.Colleague.UserId, north.Rep.UserId }.Order(), managers.Reps.Select(r => r.Value).Order());
        Assert.Empty(reps.ByRep);
        Assert.Equal([north.Rep.UserId], reps.Reps.Select(r => r.Value));
        Assert.True(reps.CanShare && managers.CanShare);
    }

    [Fact]
    public async Task A_rep_cannot_read_a_colleagues_record_nor_a_manager_another_teams_reps_by_id()
    {
        var north = await ArrangeAsync();
        var southManager = await database.CreateAsync(AppRoles.Manager, north.South, Department.Sales);
        var admin = await database.CreateAsync(AppRoles.Admin);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => _records.GetRepAsync(north.Colleague, north.Rep.UserId, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _records.GetRepAsync(southManager, north.Rep.UserId, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _records.GetRepAsync(north.Manager, north.SouthRep.UserId, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _records.GetRepAsync(north.Rep, "no-such-user", Cancel));
        Assert.Equal(new Record(4, 1, 1), (await _records.GetRepAsync(admin, north.Rep.UserId, Cancel)).Total);
    }

    [Fact]
    public async Task A_quarter_without_a_resolved_promise_has_no_data_rather_than_a_zero_rate()
    {
        var north = await ArrangeAsync();

        var view = await _records.GetAsync(north.Rep, cancellationToken: Cancel);

        var empty = view.ByQuarter.Single(q => q.Label == "Q2 2024");
        Assert.False(empty.HasData);
        Assert.Null(empty.Record.OnTimeRate);
        Assert.True(view.ByQuarter.Single(q => q.Label == "Q4 2025").HasData);
    }

    [Fact]
    public async Task Service_staff_are_refused()
    {
        var service = await database.CreateAsync(AppRoles.Service, null, Department.Service);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _records.GetAsync(service, cancellationToken: Cancel));
    }

    /// <summary>
    /// Team North (manager, rep Rita) and team South (rep Sam), deals closed on 8 Jan 2024, saved on the test clock.
    /// <code>
    /// Acme (Rita, ordered): Delivery promised 10 Mar 2025, done 5 Mar (kept, Q1 2025)
    ///                       Installation promised 1 May 2025, done 10 May (kept late, Q2 2025)
    ///                       Training promised 20 Nov 2025, done that day (kept, Q4 2025)
    ///                       Delivery promised 15 Dec 2025, never done (broken, Q4 2025)
    ///                       Delivery promised 10 Feb 2026, done 1 Feb (kept, Q1 2026)
    ///                       not counted: Support done 1 Feb 2024 (before Q2 2024), Delivery due 1 Jun 2026 (open),
    ///                       Training waived, the customer's promise
    /// Birch (Rita, lost):   Support promised 20 Jul 2025, done 15 Jul (kept, Q3 2025); Delivery due 1 Aug 2025, never done (not counted)
    /// Fir (Sam, South):     Delivery done 1 Jun 2025 (kept), Delivery due 1 Sep 2025, never done (broken)
    /// </code>
    /// </summary>
    private async Task<DataSet> ArrangeAsync()
    {
        var team = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team, Department.Sales);
        var rep = await database.CreateAsync(AppRoles.Rep, team, Department.Sales);
        var sam = await database.CreateAsync(AppRoles.Rep, south, Department.Sales);
        var colleague = await database.CreateAsync(AppRoles.Rep, team, Department.Sales);
        var checklist = await database.ActiveChecklistAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (acme, birch, fir) = (Account.Create($"Acme {suffix}", null, ClosedAt), Account.Create($"Birch {suffix}", null, ClosedAt), Account.Create($"Fir {suffix}", null, ClosedAt));

        Deal NewDeal(Actor owner, Account account, string title) =>
            Deal.Create(account.Id, $"{title} {suffix}", owner.UserId, Money.Of(10_000m, "EUR"), "Pack 40 cases a minute", ClosedOn, checklist, ClosedAt, ClosedOn);

        Commitment Promise(Deal deal, CommitmentKind kind, DateOnly promised, DateOnly? doneOn = null, CommitmentDirection direction = CommitmentDirection.Ours)
        {
            var promise = deal.AddCommitment(
                new CommitmentDraft(direction, kind, $"Secret {kind} for {deal.Title}", deal.OwnerId, direction == CommitmentDirection.Ours ? Department.Fulfilment : Department.Customer, promised, null),
                LeadTimes.Defaults, deal.OwnerId, ClosedAt, ClosedOn);
            if (doneOn is { } done)
                promise.Complete(done, done);
            return promise;
        }

        void Order(Deal deal)
        {
            foreach (var item in deal.OpenRequiredItems.ToList())
                deal.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", deal.OwnerId, ClosedAt);
            CommitmentTracker.Web.Tests.Infrastructure.TestDeals.ApproveTechnicalReview(deal, deal.OwnerId);
            deal.MarkOrdered("PO-1", deal.OwnerId, ClosedAt.AddDays(1));
        }

        var acmeDeal = NewDeal(rep, acme, "Acme line");
        Order(acmeDeal);
        Promise(acmeDeal, CommitmentKind.Delivery, new(2025, 3, 10), new(2025, 3, 5));
        Promise(acmeDeal, CommitmentKind.Installation, new(2025, 5, 1), new(2025, 5, 10));
        Promise(acmeDeal, CommitmentKind.Training, new(2025, 11, 20), new(2025, 11, 20));
        Promise(acmeDeal, CommitmentKind.Delivery, new(2025, 12, 15));
        Promise(acmeDeal, CommitmentKind.Delivery, new(2026, 2, 10), new(2026, 2, 1));
        Promise(acmeDeal, CommitmentKind.Support, new(2024, 2, 10), new(2024, 2, 1));
        Promise(acmeDeal, CommitmentKind.Delivery, new(2026, 6, 1));
        var waived = Promise(acmeDeal, CommitmentKind.Training, new(2025, 6, 1));
        acmeDeal.WaiveCommitment(waived.Id, "The customer trained their own staff.", rep.UserId, ClosedAt.AddDays(2));
        Promise(acmeDeal, CommitmentKind.Other, new(2025, 4, 1), new(2025, 4, 2), CommitmentDirection.Theirs);

        var birchDeal = NewDeal(rep, birch, "Birch packing");
        Promise(birchDeal, CommitmentKind.Support, new(2025, 7, 20), new(2025, 7, 15));
        Promise(birchDeal, CommitmentKind.Delivery, new(2025, 8, 1));
        birchDeal.MarkLost(LostReason.NoBudget, null, rep.UserId, new DateTimeOffset(2025, 7, 25, 9, 0, 0, TimeSpan.Zero));

        var firDeal = NewDeal(sam, fir, "Fir retrofit");
        Order(firDeal);
        Promise(firDeal, CommitmentKind.Delivery, new(2025, 6, 5), new(2025, 6, 1));
        Promise(firDeal, CommitmentKind.Delivery, new(2025, 9, 1));

        // Saved on the test clock: the passed, undone promises are broken by then.
        await using (var db = database.CreateDbContext())
        {
            db.ChangedAt = TestDeals.Now;
            db.AddRange(acme, birch, fir, acmeDeal, birchDeal, firDeal);
            await db.SaveChangesAsync(Cancel);
        }

        string[] texts = [acme.Name, birch.Name, fir.Name, acmeDeal.Title, birchDeal.Title, firDeal.Title, "Secret", "Pack 40 cases"];
        return new DataSet(team, south, manager, rep, sam, colleague, texts);
    }

    private sealed record DataSet(Team Team, Team South, Actor Manager, Actor Rep, Actor SouthRep, Actor Colleague, IReadOnlyList<string> CustomerTexts);
}
