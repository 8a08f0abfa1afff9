using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Administration;

/// <summary>Milestone plan templates per kind: admins replace them whole, the domain's plan rules hold, no lost updates.</summary>
public sealed class MilestoneTemplatesServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private MilestoneTemplatesService Service => new(database, new FakeTimeProvider(TestDeals.Now), new MilestoneTemplateValidator());

    private Task<List<MilestoneTemplateStep>> StoredStepsAsync(CommitmentKind kind) =>
        database.QueryAsync(async db => (await db.MilestoneTemplates.AsNoTracking().SingleAsync(t => t.Kind == kind, Cancel)).Steps.ToList());

    private static MilestoneTemplateInput Plan(params (string Title, int? Offset, bool Acceptance)[] steps) => new()
    {
        Steps = [.. steps.Select(s => new MilestoneTemplateStepInput { Title = s.Title, OffsetDays = s.Offset, IsCustomerAcceptance = s.Acceptance })],
    };

    private async Task<MilestoneTemplateRow> RowAsync(Actor admin, CommitmentKind kind) =>
        Assert.Single(await Service.ListAsync(admin, Cancel), r => r.Kind == kind);

    [Fact]
    public async Task Every_kind_is_listed_with_its_seeded_steps()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);

        var rows = await Service.ListAsync(admin, Cancel);

        Assert.Equal(Enum.GetValues<CommitmentKind>(), rows.Select(r => r.Kind));
        var outcome = Assert.Single(rows, r => r.Kind == CommitmentKind.Outcome);
        Assert.True(outcome.Steps[^1].IsCustomerAcceptance);
        Assert.All(rows, r => Assert.NotEqual(0u, r.Version));
    }

    [Fact]
    public async Task An_admin_saves_a_new_plan_and_its_version_changes()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var before = await RowAsync(admin, CommitmentKind.Training);

        await Service.SaveAsync(admin, CommitmentKind.Training, before.Version,
            Plan(("Agree agenda", -15, false), ("Book the room", -7, false), ("Hold sessions", 0, false), ("Collect feedback", 3, false)), Cancel);

        var stored = await StoredStepsAsync(CommitmentKind.Training);
        Assert.Equal(["Agree agenda", "Book the room", "Hold sessions", "Collect feedback"], stored.Select(s => s.Title));
        Assert.Equal([-15, -7, 0, 3], stored.Select(s => s.OffsetDays));
        Assert.NotEqual(before.Version, (await RowAsync(admin, CommitmentKind.Training)).Version);
    }

    [Fact]
    public async Task A_saved_plan_can_be_edited_again_with_the_new_version()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var first = await RowAsync(admin, CommitmentKind.Other);
        await Service.SaveAsync(admin, CommitmentKind.Other, first.Version, Plan(("Do it", -2, false), ("Confirm", 0, false)), Cancel);

        var second = await RowAsync(admin, CommitmentKind.Other);
        await Service.SaveAsync(admin, CommitmentKind.Other, second.Version, Plan(("Do it", -2, false), ("Confirm", 0, true)), Cancel);

        Assert.True((await StoredStepsAsync(CommitmentKind.Other))[^1].IsCustomerAcceptance);
    }

    public static TheoryData<CommitmentKind, MilestoneTemplateInput, string> InvalidPlans => new()
    {
        {
            CommitmentKind.Installation,
            Plan(("Customer acceptance", -5, true), ("Install", 0, false)),
            "Customer acceptance is the last step of a plan."
        },
        {
            CommitmentKind.Outcome,
            Plan(("Baseline measured", -20, false), ("Result measured", 0, false)),
            "An outcome plan ends with the customer's acceptance: the customer confirms the result was reached."
        },
        {
            CommitmentKind.Delivery,
            Plan(("Ship", -10, false), ("ship", -3, false), ("Customer acceptance", 0, true)),
            "The plan has two steps titled \"Ship\"."
        },
        {
            CommitmentKind.Support,
            Plan(("Introduce the team", 0, false), ("Set up the contract", -5, false)),
            "\"Set up the contract\" is planned before \"Introduce the team\": steps are in date order."
        },
    };

    [Theory]
    [MemberData(nameof(InvalidPlans))]
    public async Task A_plan_breaking_the_plan_rules_is_refused_and_nothing_changes(CommitmentKind kind, MilestoneTemplateInput plan, string message)
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var before = await RowAsync(admin, kind);

        var error = await Assert.ThrowsAsync<DomainException>(() => Service.SaveAsync(admin, kind, before.Version, plan, Cancel));

        Assert.Equal(message, error.Message);
        var after = await RowAsync(admin, kind);
        Assert.Equal(before.Steps, after.Steps);
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task A_plan_without_steps_or_with_blank_fields_is_refused_by_the_form_rules()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var before = await RowAsync(admin, CommitmentKind.Delivery);

        var empty = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.SaveAsync(admin, CommitmentKind.Delivery, before.Version, Plan(), Cancel));
        var blank = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.SaveAsync(admin, CommitmentKind.Delivery, before.Version, Plan(("", -3, false), ("Ship", null, false)), Cancel));

        Assert.Equal("A milestone plan needs at least one step.", Assert.Single(empty.Errors).ErrorMessage);
        Assert.Equal(["Enter the step's title.", "Enter the days from the promised date."], blank.Errors.Select(e => e.ErrorMessage));
        Assert.Equal(before.Steps, (await RowAsync(admin, CommitmentKind.Delivery)).Steps);
    }

    [Fact]
    public async Task The_second_of_two_admins_saving_the_same_plan_is_told_and_does_not_overwrite()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var seen = await RowAsync(admin, CommitmentKind.Installation);
        await Service.SaveAsync(admin, CommitmentKind.Installation, seen.Version,
            Plan(("Site survey", -21, false), ("Install", -2, false), ("Customer acceptance", 0, true)), Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Service.SaveAsync(admin, CommitmentKind.Installation, seen.Version,
            Plan(("Install", -1, false), ("Customer acceptance", 0, true)), Cancel));

        Assert.Equal(["Site survey", "Install", "Customer acceptance"], (await StoredStepsAsync(CommitmentKind.Installation)).Select(s => s.Title));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_see_and_save_milestone_plans(string role)
    {
        var caller = await database.CreateAsync(role, await database.CreateTeamAsync());
        var before = await StoredStepsAsync(CommitmentKind.Delivery);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListAsync(caller, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Service.SaveAsync(caller, CommitmentKind.Delivery, 0, Plan(("Ship", 0, false)), Cancel));

        Assert.Equal(before, await StoredStepsAsync(CommitmentKind.Delivery));
    }
}
