using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Dashboard;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Dashboard;

/// <summary>
/// The manager's dashboard on a prepared team whose figures were worked out by hand (see <see cref="ArrangeAsync"/>):
/// the at-risk list by urgency, the delivery record and its charts, the verbal deals, the approvals and the
/// threshold alarm. A manager sees their own team whatever they ask for; an admin picks one; nobody else gets in.
/// </summary>
public sealed class DashboardServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The dashboard's clock: the 90-day window runs from 18 Mar to 15 Jun 2026; the charted months from Jul 2025.</summary>
    private static readonly DateTimeOffset DashNow = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly DashToday = new(2026, 6, 15);

    /// <summary>When the older deals closed and their promises were made.</summary>
    private static readonly DateTimeOffset ClosedAt = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly ClosedOn = new(2026, 1, 5);

    private readonly DashboardService _dashboard = new(database, new FakeTimeProvider(DashNow));

    /// <summary>Every row of the charted months, not only the window's.</summary>
    private static readonly RecordFilter AllRows = new(WindowOnly: false);

    private async Task<IReadOnlyList<RecordRow>> RowsAsync(Actor actor, Guid? teamId, RecordFilter filter) =>
        (await _dashboard.RecordRowsAsync(actor, teamId, filter, new PageRequest(PageSize: 200), Cancel)).Items;

    [Fact]
    public async Task The_tiles_show_the_hand_computed_figures_of_the_team()
    {
        var north = await ArrangeAsync();

        var view = await _dashboard.GetAsync(north.Manager, new DashboardFilter(), Cancel);

        Assert.Equal((north.Team.Id, north.Team.Name, true), (view.TeamId, view.TeamName, view.HasTeam));
        // Kept: P1 (8 Apr), P11 (20 Apr, on a lost deal); kept late: P2 (4 May); broken: P4 (marked), P6 (date passed, still open).
        // P5 (Feb) is outside the window; P10 (lost deal, never done), P9 (waived) and the customer's promise never count.
        Assert.Equal(new DeliveryRecord(2, 1, 2), view.Record);
        Assert.Equal(0.4m, view.Record.OnTimeRate);
        Assert.Equal((3, 2, 1), (view.AtRiskNow, view.LateNow, view.WatchNow));
        Assert.Equal(1, view.PendingApprovals);
        // Cobalt (20,000 EUR, verbal since 5 Jan: 161 days) and Delta (5,000 USD, 14 days).
        Assert.Equal(2, view.Verbal.Count);
        Assert.Equal(new[] { new Money(20_000m, "EUR"), new Money(5_000m, "USD") }, view.Verbal.Value);
        Assert.Equal(161, view.Verbal.OldestDays);
    }

    [Fact]
    public async Task The_charts_show_the_record_by_month_by_rep_and_by_department()
    {
        var north = await ArrangeAsync();

        var view = await _dashboard.GetAsync(north.Manager, new DashboardFilter(), Cancel);

        Assert.Equal(12, view.ByMonth.Count);
        Assert.Equal((new DateOnly(2025, 7, 1), new DateOnly(2026, 6, 1)), (view.ByMonth[0].Month, view.ByMonth[^1].Month));
        var byMonth = view.ByMonth.Where(m => m.Record.Total > 0).ToDictionary(m => m.Month, m => m.Record);
        Assert.Equal(new Dictionary<DateOnly, DeliveryRecord>
        {
            [new DateOnly(2026, 2, 1)] = new(1, 0, 0),
            [new DateOnly(2026, 4, 1)] = new(2, 0, 0),
            [new DateOnly(2026, 5, 1)] = new(0, 1, 1),
            [new DateOnly(2026, 6, 1)] = new(0, 0, 1),
        }, byMonth);

        // Least reliable first: Ben 0 of 1, Anna 2 of 4.
        Assert.Equal(
            new[] { (north.Ben.UserId, new DeliveryRecord(0, 0, 1)), (north.Anna.UserId, new DeliveryRecord(2, 1, 1)) },
            view.ByRep.Select(r => (r.RepId, r.Record)));
        Assert.Equal(
            new[] { new DepartmentRecord(Department.Fulfilment, 0, 1), new DepartmentRecord(Department.Product, 0, 1), new DepartmentRecord(Department.Service, 1, 0) },
            view.ByDepartment);
    }

    [Fact]
    public async Task Every_figure_of_the_record_has_its_rows_behind_it()
    {
        var north = await ArrangeAsync();

        var view = await _dashboard.GetAsync(north.Manager, new DashboardFilter(), Cancel);

        Assert.Equal(new[] { north.P6, north.P4, north.P2, north.P11, north.P1 }, (await RowsAsync(north.Manager, view.TeamId, new RecordFilter())).Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P11, north.P1 }, (await RowsAsync(north.Manager, view.TeamId, new RecordFilter(Outcomes: [DeliveryOutcome.Kept]))).Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P4, north.P2 }, (await RowsAsync(north.Manager, view.TeamId, new RecordFilter(Month: new DateOnly(2026, 5, 1), WindowOnly: false))).Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P5 }, (await RowsAsync(north.Manager, view.TeamId, new RecordFilter(Month: new DateOnly(2026, 2, 1), WindowOnly: false))).Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P6 }, (await RowsAsync(north.Manager, view.TeamId, new RecordFilter(RepId: north.Ben.UserId))).Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P2 },
            (await RowsAsync(north.Manager, view.TeamId, new RecordFilter(Outcomes: [DeliveryOutcome.KeptLate, DeliveryOutcome.Broken], Department: Department.Service))).Select(r => r.CommitmentId));
        var broken = (await RowsAsync(north.Manager, view.TeamId, new RecordFilter(Outcomes: [DeliveryOutcome.Broken]))).ToList();
        Assert.Equal(view.Alarm.AccountsWithBrokenPromises.Select(a => a.Id).Order(), broken.Select(r => r.AccountId).Distinct().Order());
    }

    [Fact]
    public async Task The_at_risk_list_puts_late_first_then_at_risk_by_promised_date_then_earliest_detected_with_watch_apart()
    {
        var north = await ArrangeAsync();

        var view = await _dashboard.GetAsync(north.Manager, new DashboardFilter(), Cancel);

        Assert.Equal(new[] { north.P4, north.P6, north.P13, north.P8, north.P3 }, view.AtRisk.Select(r => r.CommitmentId));
        Assert.Equal(new[] { RiskLevel.Late, RiskLevel.Late, RiskLevel.AtRisk, RiskLevel.AtRisk, RiskLevel.AtRisk }, view.AtRisk.Select(r => r.Level));
        Assert.Equal(north.P7, Assert.Single(view.Watch).CommitmentId);
    }

    [Fact]
    public async Task An_at_risk_row_carries_account_deal_rep_dates_forecast_buffer_reasons_and_age()
    {
        var north = await ArrangeAsync();

        var view = await _dashboard.GetAsync(north.Manager, new DashboardFilter(), Cancel);

        var training = view.AtRisk.Single(r => r.CommitmentId == north.P3);
        Assert.Equal(
            (north.Acme.Name, north.Deal1, north.Anna.UserId, north.Anna.DisplayName, CommitmentKind.Training, Department.Service, "Train the operators"),
            (training.AccountName, training.DealId, training.RepId, training.RepName, training.Kind, training.Department, training.Description));
        // The latest unfinished milestone: the install forecast 2 Jul beats the hand-over planned 28 Jun; the done one does not count.
        Assert.Equal((new DateOnly(2026, 6, 30), (DateOnly?)new DateOnly(2026, 7, 2), (int?)8, 15),
            (training.PromisedDate, training.Forecast, training.BufferLeftDays, training.DaysToPromised));
        Assert.Equal("Install forecast 2 Jul 2026 is 2 days past the promised 30 Jun 2026", Assert.Single(training.Reasons));
        Assert.Equal((3, false), (training.DaysSinceDetected, training.CustomerCaused));

        var waiting = view.AtRisk.Single(r => r.CommitmentId == north.P13);
        Assert.True(waiting.CustomerCaused);
        Assert.Null(waiting.Forecast);
        Assert.Null(waiting.BufferLeftDays);
        Assert.Equal(-5, view.AtRisk.Single(r => r.CommitmentId == north.P6).DaysToPromised);
    }

    [Fact]
    public async Task Filters_narrow_the_at_risk_list_but_not_the_tiles()
    {
        var north = await ArrangeAsync();

        var ben = await _dashboard.GetAsync(north.Manager, new DashboardFilter(RepId: north.Ben.UserId), Cancel);
        var fulfilment = await _dashboard.GetAsync(north.Manager, new DashboardFilter(Department: Department.Fulfilment), Cancel);
        var training = await _dashboard.GetAsync(north.Manager, new DashboardFilter(Kind: CommitmentKind.Training), Cancel);
        var watch = await _dashboard.GetAsync(north.Manager, new DashboardFilter(Level: RiskLevel.Watch), Cancel);

        Assert.Equal(new[] { north.P6, north.P8 }, ben.AtRisk.Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P7 }, ben.Watch.Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P4, north.P13, north.P8 }, fulfilment.AtRisk.Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P3 }, training.AtRisk.Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P7 }, watch.AtRisk.Select(r => r.CommitmentId));
        Assert.Empty(watch.Watch);
        Assert.Equal((3, 2), (ben.AtRiskNow, ben.LateNow));
        Assert.Equal(new[] { north.Anna.UserId, north.Ben.UserId }.Order(), ben.Reps.Select(r => r.Value).Order());
    }

    [Fact]
    public async Task A_manager_sees_only_their_team_even_when_asking_for_another_teams_id()
    {
        var north = await ArrangeAsync();

        var asked = await _dashboard.GetAsync(north.Manager, new DashboardFilter(TeamId: north.South.Id), Cancel);
        var south = await _dashboard.GetAsync(north.SouthManager, new DashboardFilter(TeamId: north.Team.Id), Cancel);

        Assert.Equal(north.Team.Id, asked.TeamId);
        Assert.DoesNotContain(asked.AtRisk, r => r.CommitmentId == north.P12);
        Assert.DoesNotContain(await RowsAsync(north.Manager, north.South.Id, AllRows), r => r.CommitmentId == north.P12);
        Assert.DoesNotContain(asked.Alarm.AccountsWithBrokenPromises, a => a.Id == north.Fir.Id);
        Assert.Empty(asked.Teams);

        Assert.Equal(south.TeamId, north.South.Id);
        Assert.Equal(new[] { north.P12 }, south.AtRisk.Select(r => r.CommitmentId));
        Assert.Equal(new[] { north.P12 }, (await RowsAsync(north.SouthManager, north.Team.Id, AllRows)).Select(r => r.CommitmentId));
        Assert.Equal((0, 0, new DeliveryRecord(0, 0, 1)), (south.PendingApprovals, south.Verbal.Count, south.Record));
    }

    [Fact]
    public async Task An_admin_picks_a_team_or_sees_every_team()
    {
        var north = await ArrangeAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);

        var south = await _dashboard.GetAsync(admin, new DashboardFilter(TeamId: north.South.Id), Cancel);
        var all = await _dashboard.GetAsync(admin, new DashboardFilter(), Cancel);

        Assert.Equal((north.South.Id, north.South.Name), (south.TeamId, south.TeamName));
        Assert.Equal(new[] { north.P12 }, south.AtRisk.Select(r => r.CommitmentId));
        Assert.Contains(south.Teams, t => t.Value == north.Team.Id);
        Assert.Equal(((Guid?)null, "All teams"), (all.TeamId, all.TeamName));
        // Every team's promises: the first page shows some, the list pages through all (this class's tests arrange many teams).
        var everyTeam = await _dashboard.AtRiskAsync(admin, new DashboardFilter(), [RiskLevel.AtRisk, RiskLevel.Late], 0, 200, Cancel);
        Assert.Equal(everyTeam.TotalCount, all.AtRiskTotal);
        Assert.Contains(everyTeam.Items, r => r.CommitmentId == north.P12);
        Assert.Contains(everyTeam.Items, r => r.CommitmentId == north.P4);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _dashboard.GetAsync(admin, new DashboardFilter(TeamId: Guid.NewGuid()), Cancel));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Service)]
    public async Task Reps_and_service_staff_are_refused(string role)
    {
        var north = await ArrangeAsync();
        var user = await database.CreateAsync(role, role == AppRoles.Rep ? north.Team : null, role == AppRoles.Service ? Department.Service : null);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _dashboard.GetAsync(user, new DashboardFilter(TeamId: north.Team.Id), Cancel));
    }

    [Fact]
    public async Task A_manager_without_a_team_gets_an_empty_dashboard()
    {
        await ArrangeAsync();
        var manager = await database.CreateAsync(AppRoles.Manager);

        var view = await _dashboard.GetAsync(manager, new DashboardFilter(), Cancel);

        Assert.False(view.HasTeam);
        Assert.Empty(view.AtRisk);
        Assert.Empty(await RowsAsync(manager, null, AllRows));
    }

    [Theory]
    [InlineData(39, true)]
    [InlineData(40, false)]
    [InlineData(50, false)]
    public async Task The_alarm_is_raised_only_above_the_share_of_accounts_set(int thresholdPercent, bool raised)
    {
        var threshold = thresholdPercent / 100m;
        var north = await ArrangeAsync();
        await database.QueryAsync(db => db.RiskSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.BrokenAccountsAlarmShare, threshold), Cancel));

        var view = await _dashboard.GetAsync(north.Manager, new DashboardFilter(), Cancel);

        // Active: Acme, Birch, Cobalt, Delta (deals in progress) and Elm (a promise kept in the window on a lost deal).
        // With a broken promise in the window: Birch (P4) and Cobalt (P6): 2 of 5.
        Assert.Equal(5, view.Alarm.ActiveAccounts);
        Assert.Equal(new[] { north.Birch.Name, north.Cobalt.Name }, view.Alarm.AccountsWithBrokenPromises.Select(a => a.Name));
        Assert.Equal((0.4m, threshold, raised), (view.Alarm.Share, view.Alarm.Threshold, view.Alarm.Raised));
    }

    /// <summary>
    /// Team North (manager, reps Anna and Ben) and team South (one rep), built through the domain on past dates and
    /// saved on the dashboard's clock; the stored risk of the open promises is then pinned, so the list does not
    /// depend on the evaluator's rules (they have their own tests).
    /// <code>
    /// Deal1 Anna/Acme, ordered:  P1 Delivery/Fulfilment promised 10 Apr, done 8 Apr (kept)
    ///                            P2 Installation/Service promised 1 May, done 4 May (kept late)
    ///                            P3 Training/Service promised 30 Jun, need 10 Jul; AtRisk since 12 Jun; milestones:
    ///                               done, install in progress forecast 2 Jul, hand-over planned 28 Jun
    ///                            P13 Delivery/Fulfilment promised 20 Jun; AtRisk since 5 Jun (customer-caused)
    /// Deal2 Anna/Birch, ordered: P4 Delivery/Fulfilment promised 20 May, not done, marked Broken; Late since 21 May
    ///                            P5 Support/Sales promised 10 Feb, done 9 Feb (kept, before the window)
    /// Deal3 Ben/Cobalt, verbal, 20,000 EUR since 5 Jan:
    ///                            P6 Other/Product promised 10 Jun, open (not yet marked); Late since 11 Jun
    ///                            P7 Delivery/Fulfilment promised 25 Jun; Watch since 14 Jun
    ///                            P8 Delivery/Fulfilment promised 20 Jun, aggressive, waiting for approval; AtRisk since 10 Jun
    /// Deal4 Ben/Delta, verbal, 5,000 USD since 1 Jun: P9 waived; a customer's promise overdue since 3 Jun
    /// Deal5 Anna/Elm, lost:      P10 promised 15 May, never done; P11 promised 25 Apr, done 20 Apr (kept)
    /// Deal6 Sam/Fir (South), ordered: P12 promised 1 Jun, not done; Late since 2 Jun
    /// </code>
    /// </summary>
    private async Task<DataSet> ArrangeAsync()
    {
        var team = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team, Department.Sales, "Marta Manager");
        var anna = await database.CreateAsync(AppRoles.Rep, team, Department.Sales, "Anna Ahlberg");
        var ben = await database.CreateAsync(AppRoles.Rep, team, Department.Sales, "Ben Berger");
        var southManager = await database.CreateAsync(AppRoles.Manager, south, Department.Sales, "Sven South");
        var sam = await database.CreateAsync(AppRoles.Rep, south, Department.Sales, "Sam South");
        var checklist = await database.ActiveChecklistAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        Account NewAccount(string name) => Domain.Accounts.Account.Create($"{name} {suffix}", null, ClosedAt);
        var (acme, birch, cobalt, delta, elm, fir) = (NewAccount("Acme"), NewAccount("Birch"), NewAccount("Cobalt"), NewAccount("Delta"), NewAccount("Elm"), NewAccount("Fir"));

        Deal NewDeal(Actor owner, Account account, string title, decimal value = 10_000m, string currency = "EUR", DateTimeOffset? closedAt = null)
        {
            var at = closedAt ?? ClosedAt;
            return Deal.Create(account.Id, $"{title} {suffix}", owner.UserId, Money.Of(value, currency), "Pack 40 cases a minute", DateOnly.FromDateTime(at.UtcDateTime), checklist, at, DateOnly.FromDateTime(at.UtcDateTime));
        }

        Commitment Promise(Deal deal, CommitmentKind kind, Department department, string description, DateOnly promised, DateOnly? need = null, DateOnly? madeOn = null, string? reason = null)
        {
            var on = madeOn ?? ClosedOn;
            return deal.AddCommitment(new CommitmentDraft(CommitmentDirection.Ours, kind, description, deal.OwnerId, department, promised, need, reason),
                LeadTimes.Defaults, deal.OwnerId, new DateTimeOffset(on.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero), on);
        }

        void Order(Deal deal)
        {
            foreach (var item in deal.OpenRequiredItems.ToList())
                deal.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", deal.OwnerId, ClosedAt);
            CommitmentTracker.Web.Tests.Infrastructure.TestDeals.ApproveTechnicalReview(deal, deal.OwnerId);
            deal.MarkOrdered("PO-1", deal.OwnerId, ClosedAt.AddDays(3));
        }

        var deal1 = NewDeal(anna, acme, "Acme line");
        var p1 = Promise(deal1, CommitmentKind.Delivery, Department.Fulfilment, "Ship the cell", new(2026, 4, 10));
        var p2 = Promise(deal1, CommitmentKind.Installation, Department.Service, "Install the cell", new(2026, 5, 1));
        var p3 = Promise(deal1, CommitmentKind.Training, Department.Service, "Train the operators", new(2026, 6, 30), need: new(2026, 7, 10));
        var p13 = Promise(deal1, CommitmentKind.Delivery, Department.Fulfilment, "Ship the spare parts", new(2026, 6, 20));
        Order(deal1);
        p1.Complete(new(2026, 4, 8), new(2026, 4, 8));
        p2.Complete(new(2026, 5, 4), new(2026, 5, 4));
        var done = p3.AddMilestone("Book the trainer", null, new(2026, 6, 1));
        var install = p3.AddMilestone("Install", null, new(2026, 6, 26));
        p3.AddMilestone("Hand over", null, new(2026, 6, 28));
        p3.UpdateMilestone(done.Id, new MilestoneChange(MilestoneStatus.Done, null, CompletedOn: new(2026, 6, 1)), anna.UserId, DashNow, DashToday);
        p3.UpdateMilestone(install.Id, new MilestoneChange(MilestoneStatus.InProgress, new(2026, 7, 2)), anna.UserId, DashNow, DashToday);

        var deal2 = NewDeal(anna, birch, "Birch packing");
        var p4 = Promise(deal2, CommitmentKind.Delivery, Department.Fulfilment, "Ship the packer", new(2026, 5, 20));
        var p5 = Promise(deal2, CommitmentKind.Support, Department.Sales, "Open the hotline", new(2026, 2, 10));
        Order(deal2);
        p5.Complete(new(2026, 2, 9), new(2026, 2, 9));
        Assert.True(p4.RefreshStatus(new(2026, 5, 21)));

        var deal3 = NewDeal(ben, cobalt, "Cobalt pilot", 20_000m);
        var p6 = Promise(deal3, CommitmentKind.Other, Department.Product, "Deliver the custom gripper", new(2026, 6, 10));
        var p7 = Promise(deal3, CommitmentKind.Delivery, Department.Fulfilment, "Ship the conveyor", new(2026, 6, 25));
        var p8 = Promise(deal3, CommitmentKind.Delivery, Department.Fulfilment, "Ship the demo unit", new(2026, 6, 20), madeOn: new(2026, 6, 10));

        var deal4 = NewDeal(ben, delta, "Delta trial", 5_000m, "USD", new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero));
        var p9 = Promise(deal4, CommitmentKind.Delivery, Department.Fulfilment, "Ship a sample", new(2026, 6, 5), madeOn: new(2026, 6, 1), reason: "Sample in stock.");
        deal4.WaiveCommitment(p9.Id, "The customer picked it up.", ben.UserId, DashNow);
        deal4.AddCommitment(new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Send the floor plan", ben.UserId, Department.Customer, new(2026, 6, 3), null),
            LeadTimes.Defaults, ben.UserId, new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero), new(2026, 6, 1));

        var deal5 = NewDeal(anna, elm, "Elm upgrade");
        var p10 = Promise(deal5, CommitmentKind.Delivery, Department.Fulfilment, "Ship the upgrade kit", new(2026, 5, 15));
        var p11 = Promise(deal5, CommitmentKind.Support, Department.Service, "Remote check", new(2026, 4, 25));
        p11.Complete(new(2026, 4, 20), new(2026, 4, 20));
        deal5.MarkLost(LostReason.NoBudget, null, anna.UserId, new DateTimeOffset(2026, 4, 30, 9, 0, 0, TimeSpan.Zero));

        var deal6 = NewDeal(sam, fir, "Fir retrofit");
        var p12 = Promise(deal6, CommitmentKind.Delivery, Department.Fulfilment, "Ship the retrofit", new(2026, 6, 1));
        Order(deal6);

        await using (var db = database.CreateDbContext())
        {
            db.ChangedAt = DashNow;
            db.AddRange(acme, birch, cobalt, delta, elm, fir, deal1, deal2, deal3, deal4, deal5, deal6);
            await db.SaveChangesAsync(Cancel);
        }

        await PinRiskAsync(p3.Id, RiskLevel.AtRisk, new(2026, 6, 12), false, "Install forecast 2 Jul 2026 is 2 days past the promised 30 Jun 2026");
        await PinRiskAsync(p13.Id, RiskLevel.AtRisk, new(2026, 6, 5), true, "The customer's promise \"Send the layout\" was due 4 Jun 2026 and is 11 days overdue");
        await PinRiskAsync(p4.Id, RiskLevel.Late, new(2026, 5, 21), false, "Not done and 26 days past the promised 20 May 2026");
        await PinRiskAsync(p6.Id, RiskLevel.Late, new(2026, 6, 11), false, "Not done and 5 days past the promised 10 Jun 2026");
        await PinRiskAsync(p7.Id, RiskLevel.Watch, new(2026, 6, 14), false, "Ship forecast 24 Jun 2026 is only 1 day before the promised 25 Jun 2026");
        await PinRiskAsync(p8.Id, RiskLevel.AtRisk, new(2026, 6, 10), false, "Build is blocked since 10 Jun 2026");
        await PinRiskAsync(p12.Id, RiskLevel.Late, new(2026, 6, 2), false, "Not done and 14 days past the promised 1 Jun 2026");
        foreach (var onTrack in new[] { p1, p2, p5, p9, p10, p11 })
            await PinRiskAsync(onTrack.Id, RiskLevel.OnTrack, DashToday, false);
        Assert.Equal(AggressiveApproval.Pending, p8.AggressiveApproval);

        return new DataSet(team, south, manager, anna, ben, southManager, acme, birch, cobalt, fir,
            deal1.Id, p1.Id, p2.Id, p3.Id, p4.Id, p5.Id, p6.Id, p7.Id, p8.Id, p11.Id, p12.Id, p13.Id);
    }

    /// <summary>Stores a risk level directly, as the evaluator would have: the dashboard reads what is stored.</summary>
    private async Task PinRiskAsync(Guid commitmentId, RiskLevel level, DateOnly since, bool customerCaused, params string[] sentences)
    {
        var rule = level switch
        {
            RiskLevel.Late => RiskRule.Late,
            RiskLevel.AtRisk => customerCaused ? RiskRule.CustomerOverdue : RiskRule.ForecastPastPromise,
            _ => RiskRule.ForecastNearPromise,
        };
        var reasons = sentences.Select(s => new RiskReason(rule, s, since, customerCaused)).ToList();
        var at = new DateTimeOffset(since.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        await database.QueryAsync(db => db.Commitments.Where(c => c.Id == commitmentId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.RiskLevel, level)
            .SetProperty(c => c.RiskSince, at)
            .SetProperty(c => EF.Property<List<RiskReason>>(c, "_riskReasons"), reasons), Cancel));
    }

    private sealed record DataSet(
        Team Team, Team South, Actor Manager, Actor Anna, Actor Ben, Actor SouthManager,
        Account Acme, Account Birch, Account Cobalt, Account Fir,
        Guid Deal1, Guid P1, Guid P2, Guid P3, Guid P4, Guid P5, Guid P6, Guid P7, Guid P8, Guid P11, Guid P12, Guid P13);
}
