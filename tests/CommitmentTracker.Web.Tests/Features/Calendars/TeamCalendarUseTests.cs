using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Alerts;
using CommitmentTracker.Web.Tests.Features.Promises;
using CommitmentTracker.Web.Tests.Features.Recovery;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Calendars;

/// <summary>
/// The rep's team calendar is the one the lead-time check and the recovery due times count on: a holiday of the team
/// moves the earliest comfortable date, and "tell the customer within N hours" skips the team's nights and weekend.
/// </summary>
public sealed class TeamCalendarUseTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Wednesday 23 December 2026, 10:00 UTC: Christmas Day is a Friday.</summary>
    private static readonly DateTimeOffset BeforeChristmas = new(2026, 12, 23, 10, 0, 0, TimeSpan.Zero);

    private async Task<Domain.Teams.Team> TeamWithChristmasOffAsync()
    {
        var team = await database.CreateTeamAsync();
        var calendar = WorkingCalendar.Default(team.Id);
        calendar.AddHoliday(new DateOnly(2026, 12, 25), "Christmas Day");
        await database.InsertAsync(calendar);
        return team;
    }

    private async Task SetDeliveryLeadTimeAsync(int days)
    {
        await using var db = database.CreateDbContext();
        var delivery = await db.LeadTimes.SingleAsync(l => l.Kind == CommitmentKind.Delivery, Cancel);
        delivery.Set(days);
        await db.SaveChangesAsync(Cancel);
    }

    private static AddPromiseInput Delivery(Actor rep, DateOnly promised) => new()
    {
        Direction = CommitmentDirection.Ours,
        Kind = CommitmentKind.Delivery,
        Description = "Ship the spare gearbox",
        OwnerId = rep.UserId,
        Department = Department.Fulfilment,
        PromisedDate = promised.ToDateTime(TimeOnly.MinValue),
        NeedDate = promised.AddDays(10).ToDateTime(TimeOnly.MinValue),
    };

    private async Task<Commitment> LogAsync(Actor rep, DateOnly promised)
    {
        var promises = PromisesServiceFactory.Create(database, new FakeTimeProvider(BeforeChristmas));
        var deal = await database.CreateDealAsync(rep);
        var id = await promises.AddAsync(rep, deal.Id, Delivery(rep, promised), Cancel);
        return await database.QueryAsync(db => db.LoadCommitmentAsync(id));
    }

    [Fact]
    public async Task A_promise_five_calendar_days_out_across_a_weekend_and_the_teams_holiday_is_aggressive_at_five_working_days()
    {
        await SetDeliveryLeadTimeAsync(5);
        var christmasTeam = await TeamWithChristmasOffAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, christmasTeam);
        var plainRep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());

        // Monday 28 Dec is five calendar days out but two working days; Wednesday 30 Dec is the fifth working day of a team
        // without holidays and the fourth of the team that has Christmas Day off; Thursday 31 Dec is its fifth.
        var monday = await LogAsync(rep, new DateOnly(2026, 12, 28));
        var wednesday = await LogAsync(rep, new DateOnly(2026, 12, 30));
        var thursday = await LogAsync(rep, new DateOnly(2026, 12, 31));
        var wednesdayWithoutHoliday = await LogAsync(plainRep, new DateOnly(2026, 12, 30));

        Assert.Equal((true, AggressiveApproval.Pending), (monday.IsAggressive, monday.AggressiveApproval));
        Assert.True(wednesday.IsAggressive);
        Assert.False(thursday.IsAggressive);
        Assert.False(wednesdayWithoutHoliday.IsAggressive);
    }

    [Fact]
    public async Task The_promise_form_offers_the_lead_times_on_the_reps_team_calendar()
    {
        var team = await TeamWithChristmasOffAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var deal = await database.CreateDealAsync(rep);

        var options = await PromisesServiceFactory.Create(database, new FakeTimeProvider(BeforeChristmas)).FormOptionsAsync(rep, deal.Id, Cancel);

        Assert.Equal(team.Id, options.LeadTimes.Calendar?.TeamId);
        Assert.Equal("holiday: Christmas Day", options.LeadTimes.Calendar!.NonWorkingReason(new DateOnly(2026, 12, 25)));
    }

    [Fact]
    public async Task A_plan_opened_on_a_Thursday_afternoon_tells_the_customer_within_working_hours_of_the_reps_team()
    {
        var (team, _) = await database.CreateManagedTeamAsync();
        var calendar = WorkingCalendar.Default(team.Id, "Europe/Berlin");
        calendar.AddHoliday(new DateOnly(2026, 12, 25), "Christmas Day");
        await database.InsertAsync(calendar);
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep, promisedInDays: 330, needInDays: 340, plannedInDays: [300, 320]);
        var thursdayAfternoon = new DateTimeOffset(2026, 12, 24, 14, 0, 0, TimeSpan.Zero); // 15:00 in Berlin

        await database.CreateRecoveryService(new FakeTimeProvider(thursdayAfternoon)).OpenAsync(rep, promise.Id, Cancel);

        // The default 24 hours, counted as working hours: Thu 2, (Christmas Day, weekend), Mon 8, Tue 8, Wed 6
        // -> Wednesday 30 Dec 15:00 in Berlin.
        var plan = Assert.Single(await database.PlansOfAsync(promise.Id));
        Assert.Equal(new DateTimeOffset(2026, 12, 30, 15, 0, 0, TimeSpan.FromHours(1)), plan.Step(RecoveryStepKind.TellCustomer).DueAt);
        Assert.Equal(new DateTimeOffset(2026, 12, 28, 11, 0, 0, TimeSpan.FromHours(1)), plan.Step(RecoveryStepKind.MakeRoom).DueAt); // 4 working hours: Thu 2, Mon 2
    }
}
