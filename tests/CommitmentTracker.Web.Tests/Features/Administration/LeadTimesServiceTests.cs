using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Tests.Features.Administration;

/// <summary>Lead times per kind: admins set them, within range, without overwriting each other.</summary>
public sealed class LeadTimesServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private LeadTimesService Service => new(database, TimeProvider.System, new LeadTimeValidator());

    private Task<int> StoredDaysAsync(CommitmentKind kind) =>
        database.QueryAsync(db => db.LeadTimes.Where(l => l.Kind == kind).Select(l => l.Days).SingleAsync(Cancel));

    [Fact]
    public async Task Every_kind_is_listed_and_an_admin_sets_its_lead_time()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rows = await Service.ListAsync(admin, Cancel);
        var training = Assert.Single(rows, r => r.Kind == CommitmentKind.Training);

        await Service.SetAsync(admin, CommitmentKind.Training, training.Version, new LeadTimeInput { Days = 45 }, Cancel);

        Assert.Equal(Enum.GetValues<CommitmentKind>(), rows.Select(r => r.Kind));
        Assert.Equal(45, await StoredDaysAsync(CommitmentKind.Training));
        var policy = LeadTime.ToPolicy(await database.QueryAsync(db => db.LeadTimes.AsNoTracking().ToListAsync(Cancel)));
        Assert.Equal(45, policy.For(CommitmentKind.Training));
    }

    [Theory]
    [InlineData(null, "Enter the lead time in days.")]
    [InlineData(-1, "A lead time must be between 0 and 730 days.")]
    [InlineData(731, "A lead time must be between 0 and 730 days.")]
    public async Task A_missing_or_out_of_range_lead_time_is_refused_and_nothing_changes(int? days, string message)
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var support = Assert.Single(await Service.ListAsync(admin, Cancel), r => r.Kind == CommitmentKind.Support);

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.SetAsync(admin, CommitmentKind.Support, support.Version, new LeadTimeInput { Days = days }, Cancel));

        Assert.Equal(message, Assert.Single(error.Errors).ErrorMessage);
        Assert.Equal(support.Days, await StoredDaysAsync(CommitmentKind.Support));
    }

    [Fact]
    public async Task The_second_of_two_admins_changing_the_same_lead_time_is_told_and_does_not_overwrite()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var seen = Assert.Single(await Service.ListAsync(admin, Cancel), r => r.Kind == CommitmentKind.Installation);
        await Service.SetAsync(admin, CommitmentKind.Installation, seen.Version, new LeadTimeInput { Days = 30 }, Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Service.SetAsync(admin, CommitmentKind.Installation, seen.Version, new LeadTimeInput { Days = 5 }, Cancel));

        Assert.Equal(30, await StoredDaysAsync(CommitmentKind.Installation));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_set_lead_times(string role)
    {
        var caller = await database.CreateAsync(role, await database.CreateTeamAsync());
        var before = await StoredDaysAsync(CommitmentKind.Delivery);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListAsync(caller, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Service.SetAsync(caller, CommitmentKind.Delivery, 0, new LeadTimeInput { Days = 1 }, Cancel));

        Assert.Equal(before, await StoredDaysAsync(CommitmentKind.Delivery));
    }
}
