using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Tests.Features.Risk;

public sealed class RiskSettingsServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly RiskSettingsService _settings = new(database, TimeProvider.System, new RiskSettingsValidator());

    [Fact]
    public async Task An_admin_changes_the_thresholds_and_they_are_stored_as_shares()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var input = await _settings.GetAsync(admin, Cancel);
        input.WatchWithinDays = 7;
        input.BrokenAccountsAlarmPercent = 15;

        await _settings.SaveAsync(admin, input, Cancel);

        var stored = await database.QueryAsync(db => db.RiskSettings.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal(7, stored.WatchWithinDays);
        Assert.Equal(0.15m, stored.BrokenAccountsAlarmShare);
        Assert.Equal(7, stored.ToDomain().WatchWithinDays);
    }

    [Fact]
    public async Task Out_of_range_thresholds_are_refused_and_nothing_changes()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var before = await database.QueryAsync(db => db.RiskSettings.AsNoTracking().SingleAsync(Cancel));
        var input = await _settings.GetAsync(admin, Cancel);
        input.StaleAfterDays = 0;

        await Assert.ThrowsAsync<ValidationException>(() => _settings.SaveAsync(admin, input, Cancel));

        Assert.Equal(before.StaleAfterDays, (await database.QueryAsync(db => db.RiskSettings.AsNoTracking().SingleAsync(Cancel))).StaleAfterDays);
    }

    [Fact]
    public async Task An_admin_sets_the_recovery_settings_and_the_compensation_budget_follows()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var input = await _settings.GetAsync(admin, Cancel);
        input.TellCustomerWithinHours = 8;
        input.MarketingSpend = 90_000m;
        input.NewCustomers = 30;

        await _settings.SaveAsync(admin, input, Cancel);

        var stored = await database.QueryAsync(db => db.RiskSettings.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal((8, 90_000m, 30), (stored.TellCustomerWithinHours, stored.MarketingSpend, stored.NewCustomers));
        Assert.Equal(3_000m, stored.CompensationBudget);
        Assert.Equal(3_000m, input.CustomerAcquisitionCost);
    }

    [Fact]
    public async Task Recovery_settings_without_new_customers_or_with_a_zero_hour_deadline_are_refused_and_nothing_changes()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var before = await database.QueryAsync(db => db.RiskSettings.AsNoTracking().SingleAsync(Cancel));
        var input = await _settings.GetAsync(admin, Cancel);
        input.NewCustomers = 0;
        input.TellCustomerWithinHours = 0;

        var error = await Assert.ThrowsAsync<ValidationException>(() => _settings.SaveAsync(admin, input, Cancel));

        Assert.Contains(error.Errors, e => e.ErrorMessage == "At least 1 new customer.");
        Assert.Contains(error.Errors, e => e.ErrorMessage == "Between 1 hour and 336 hours (14 days).");
        var after = await database.QueryAsync(db => db.RiskSettings.AsNoTracking().SingleAsync(Cancel));
        Assert.Equal((before.NewCustomers, before.TellCustomerWithinHours), (after.NewCustomers, after.TellCustomerWithinHours));
    }

    [Theory]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_read_or_change_the_thresholds(string role)
    {
        var user = await database.CreateAsync(role, role is AppRoles.Rep or AppRoles.Manager ? await database.CreateTeamAsync() : null);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _settings.GetAsync(user, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _settings.SaveAsync(user, new RiskSettingsInput(), Cancel));
    }

    [Fact]
    public async Task New_thresholds_have_the_next_sweep_review_every_open_promise_but_other_settings_do_not()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        await database.QueryAsync(db => db.RiskSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.ReviewAllPending, false), Cancel));
        var input = await _settings.GetAsync(admin, Cancel);
        input.NewCustomers = 61;
        await _settings.SaveAsync(admin, input, Cancel);
        Assert.False(await database.QueryAsync(db => db.RiskSettings.Select(s => s.ReviewAllPending).SingleAsync(Cancel)));

        input = await _settings.GetAsync(admin, Cancel);
        input.StaleAfterDays = input.StaleAfterDays!.Value + 1;
        await _settings.SaveAsync(admin, input, Cancel);

        Assert.True(await database.QueryAsync(db => db.RiskSettings.Select(s => s.ReviewAllPending).SingleAsync(Cancel)));
    }
}
