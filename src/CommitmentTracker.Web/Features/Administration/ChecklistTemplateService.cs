using System.Globalization;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>One item of the active checklist version.</summary>
public sealed record ChecklistItemRow(int Position, string Title, string Guidance, bool Required);

/// <summary>One saved version of the checklist, for the history.</summary>
public sealed record ChecklistVersionRow(int Version, DateTimeOffset CreatedAt, string CreatedBy, int Items, int Required, bool IsActive);

/// <summary>The active checklist (what new deals get), the row version it was read at, and every version so far.</summary>
public sealed record ChecklistTemplateView(Guid TemplateId, int Version, uint RowVersion, IReadOnlyList<ChecklistItemRow> Items, IReadOnlyList<ChecklistVersionRow> History);

/// <summary>
/// The expectation checklist template, for admins. Saving makes a new version; deals keep the version they
/// were created with, so checklists already agreed with customers are never rewritten.
/// </summary>
public sealed class ChecklistTemplateService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ChecklistTemplateValidator validator)
{
    private const string What = "the checklist";

    public async Task<ChecklistTemplateView> GetAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var active = await db.ChecklistTemplates.AsNoTracking().SingleAsync(t => t.IsActive, cancellationToken);
        var rowVersion = await db.ChecklistTemplates.Where(t => t.Id == active.Id)
            .Select(t => EF.Property<uint>(t, AppDbContext.Version)).SingleAsync(cancellationToken);
        var history = await db.ChecklistTemplates.AsNoTracking().OrderByDescending(t => t.Version)
            .Select(t => new ChecklistVersionRow(
                t.Version, t.CreatedAt,
                db.Users.Where(u => u.Id == t.CreatedBy).Select(u => u.DisplayName).FirstOrDefault() ?? "Installation",
                t.Items.Count, t.Items.Count(i => i.Required), t.IsActive))
            .ToListAsync(cancellationToken);
        var items = active.Items.OrderBy(i => i.Position).Select(i => new ChecklistItemRow(i.Position, i.Title, i.Guidance, i.Required)).ToList();
        return new ChecklistTemplateView(active.Id, active.Version, rowVersion, items, history);
    }

    /// <summary>
    /// Saves the edited checklist as a new version that new deals get from now on. <paramref name="templateId"/>
    /// and <paramref name="rowVersion"/> are those of the version the admin edited; returns the new version number.
    /// </summary>
    public async Task<int> ReviseAsync(Actor actor, Guid templateId, uint rowVersion, ChecklistTemplateInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var active = await db.ChecklistTemplates.SingleAsync(t => t.IsActive, cancellationToken);
        if (active.Id != templateId)
            throw await SavedMeanwhileAsync(db, active, cancellationToken);
        db.ExpectVersion(active, rowVersion);
        var next = active.Revise(input.Items.Select(i => new ChecklistTemplateItemDraft(i.Title, i.Guidance, i.Required)), actor.UserId, now);
        db.ChecklistTemplates.Add(next);
        try
        {
            await db.SaveOrExplainConflictAsync("checklist", cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another admin saved the same next version number in the same moment.
            throw new ConcurrencyConflictException("Another administrator saved the checklist at the same moment, so your changes were not saved. Reload to see the latest version, then apply your changes again.");
        }
        return next.Version;
    }

    private static async Task<ConcurrencyConflictException> SavedMeanwhileAsync(AppDbContext db, ChecklistTemplate active, CancellationToken cancellationToken)
    {
        var by = await db.Users.Where(u => u.Id == active.CreatedBy).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "someone";
        return new ConcurrencyConflictException(
            $"{by} saved the checklist as version {active.Version} at {Components.Shared.TimeFormat.DateTime(active.CreatedAt, TimeZoneInfo.Utc)} since you opened it, "
            + "so your changes were not saved. Reload to see the latest version, then apply your changes again.");
    }
}
