using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence.Seeding;

/// <summary>
/// What every installation needs before anyone signs in: the roles, the first checklist version, lead times
/// and a starter risk library. Idempotent: each part is added only when missing.
/// </summary>
public sealed class ReferenceDataSeeder(
    IDbContextFactory<AppDbContext> dbFactory,
    RoleManager<IdentityRole> roles,
    TimeProvider clock,
    ILogger<ReferenceDataSeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var role in AppRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
                await roles.CreateAsync(new IdentityRole(role));
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.ChecklistTemplates.AnyAsync(cancellationToken))
            db.ChecklistTemplates.Add(ChecklistTemplate.Create(1, ChecklistTemplate.DefaultItems, "system", clock.GetUtcNow()));

        var kindsWithLeadTime = await db.LeadTimes.Select(l => l.Kind).ToListAsync(cancellationToken);
        foreach (var kind in Enum.GetValues<CommitmentKind>().Except(kindsWithLeadTime))
            db.LeadTimes.Add(new LeadTime(kind, LeadTimes.Defaults.For(kind)));

        var kindsWithPlan = await db.MilestoneTemplates.Select(t => t.Kind).ToListAsync(cancellationToken);
        foreach (var template in MilestoneTemplate.Defaults.Where(t => !kindsWithPlan.Contains(t.Kind)))
            db.MilestoneTemplates.Add(new MilestoneTemplate(template.Kind, template.Steps));

        if (!await db.RiskSettings.AnyAsync(cancellationToken))
            db.RiskSettings.Add(new RiskSettingsRecord());

        if (!await db.RiskLibrary.AnyAsync(cancellationToken))
            db.RiskLibrary.AddRange(StarterRisks());

        var added = await db.SaveChangesAsync(cancellationToken);
        if (added > 0)
            logger.LogInformation("Reference data seeded ({Rows} rows)", added);
    }

    private static IEnumerable<RiskLibraryEntry> StarterRisks() =>
    [
        RiskLibraryEntry.Create("Supplier parts arrive late",
            "A component from a supplier ships later than confirmed.",
            "We tell you the day we learn of it, propose a partial delivery or a loan unit, and re-plan with you.",
            [CommitmentKind.Delivery, CommitmentKind.Installation]),
        RiskLibraryEntry.Create("Site not ready for installation",
            "Power, network or space at the site is not ready on the installation day.",
            "A site survey two weeks before; if it is not ready we re-book the crew at the first free date.",
            [CommitmentKind.Installation]),
        RiskLibraryEntry.Create("Customer data arrives late",
            "Data or access the customer must provide is late, which moves every later step.",
            "We agree dates for your part up front and check in a week before each one.",
            []),
        RiskLibraryEntry.Create("Key trainer unavailable",
            "The named trainer falls ill or leaves.",
            "A second certified trainer is briefed on your setup from the start.",
            [CommitmentKind.Training]),
        RiskLibraryEntry.Create("Outcome depends on adoption",
            "The promised result needs your people to use the system as agreed.",
            "We measure adoption monthly with you and run extra sessions where it lags.",
            [CommitmentKind.Outcome, CommitmentKind.Support]),
    ];
}
