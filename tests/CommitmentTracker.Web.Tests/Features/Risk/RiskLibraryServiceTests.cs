using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Tests.Features.Risk;

/// <summary>The risk library: admins add, edit and retire risks; bad input and stale edits save nothing.</summary>
public sealed class RiskLibraryServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private RiskLibraryService Service => new(database, TimeProvider.System, new RiskValidator());

    private static RiskInput Risk(string? title = null, params CommitmentKind[] kinds) => new()
    {
        Title = title ?? $"Crane not available {Guid.NewGuid():N}"[..28],
        Description = "The crane to lift the unit into the building is booked elsewhere.",
        UsualResponse = "We book two crane companies and confirm a week ahead.",
        AppliesTo = kinds,
    };

    private async Task<RiskRow> RowAsync(Guid id)
    {
        var reader = await database.CreateAsync(AppRoles.Admin);
        return (await Service.ListAsync(reader, Cancel)).Single(r => r.Id == id);
    }

    [Fact]
    public async Task An_admin_adds_edits_and_retires_a_risk_which_stays_in_the_list_as_retired()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);

        var id = await Service.CreateAsync(admin, Risk(null, CommitmentKind.Installation, CommitmentKind.Delivery, CommitmentKind.Delivery), Cancel);
        var added = await RowAsync(id);
        await Service.UpdateAsync(admin, id, added.Version, Risk("Crane booked elsewhere", CommitmentKind.Installation), Cancel);
        var edited = await RowAsync(id);
        await Service.RetireAsync(admin, id, edited.Version, Cancel);
        var retired = await RowAsync(id);

        Assert.Equal([CommitmentKind.Delivery, CommitmentKind.Installation], added.AppliesTo);
        Assert.Equal("Crane booked elsewhere", edited.Title);
        Assert.Equal([CommitmentKind.Installation], edited.AppliesTo);
        Assert.False(edited.IsRetired);
        Assert.True(retired.IsRetired);
        Assert.Equal("Crane booked elsewhere", retired.Title);
    }

    [Fact]
    public async Task A_risk_without_a_usual_response_or_with_a_title_in_use_is_refused_and_nothing_is_saved()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var existing = Risk();
        await Service.CreateAsync(admin, existing, Cancel);
        var noResponse = Risk("Power cut at the site");
        noResponse.UsualResponse = " ";

        var missing = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync(admin, noResponse, Cancel));
        var taken = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync(admin, Risk(existing.Title.ToUpperInvariant()), Cancel));

        Assert.Equal(nameof(RiskInput.UsualResponse), Assert.Single(missing.Errors).PropertyName);
        Assert.Equal(nameof(RiskInput.Title), Assert.Single(taken.Errors).PropertyName);
        Assert.False(await database.QueryAsync(db => db.RiskLibrary.AnyAsync(r => r.Title == "Power cut at the site", Cancel)));
        Assert.Equal(1, await database.QueryAsync(db => db.RiskLibrary.CountAsync(r => EF.Functions.ILike(r.Title, existing.Title), Cancel)));
    }

    [Fact]
    public async Task An_edit_of_a_risk_someone_else_changed_meanwhile_is_refused()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var id = await Service.CreateAsync(admin, Risk(), Cancel);
        var seen = await RowAsync(id);
        await Service.UpdateAsync(admin, id, seen.Version, Risk("First edit wins"), Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Service.UpdateAsync(admin, id, seen.Version, Risk("Second edit"), Cancel));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Service.RetireAsync(admin, id, seen.Version, Cancel));

        var stored = await RowAsync(id);
        Assert.Equal(("First edit wins", false), (stored.Title, stored.IsRetired));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_manage_the_risk_library(string role)
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var caller = await database.CreateAsync(role, await database.CreateTeamAsync());
        var id = await Service.CreateAsync(admin, Risk(), Cancel);
        var seen = await RowAsync(id);
        var intruder = Risk();

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListAsync(caller, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateAsync(caller, intruder, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateAsync(caller, id, seen.Version, Risk("Changed by a non-admin"), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.RetireAsync(caller, id, seen.Version, Cancel));

        var stored = await RowAsync(id);
        Assert.Equal((seen.Title, false), (stored.Title, stored.IsRetired));
        Assert.False(await database.QueryAsync(db => db.RiskLibrary.AnyAsync(r => r.Title == intruder.Title, Cancel)));
    }
}
