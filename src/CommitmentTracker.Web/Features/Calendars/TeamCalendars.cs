using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Calendars;

/// <summary>
/// The one answer to "which working calendar counts for this person": their team's, or the default (Monday to Friday,
/// 09:00-17:00 UTC, no holidays) for a team without one and for a user without a team. Lead times count the deal's rep's.
/// </summary>
public static class TeamCalendars
{
    public static async Task<WorkingCalendar> OfUserAsync(this AppDbContext db, string? userId, CancellationToken cancellationToken = default)
    {
        var teamId = userId is null ? null
            : await db.Users.Where(u => u.Id == userId).Select(u => u.TeamId).SingleOrDefaultAsync(cancellationToken);
        return await db.OfTeamAsync(teamId, cancellationToken);
    }

    public static async Task<WorkingCalendar> OfTeamAsync(this AppDbContext db, Guid? teamId, CancellationToken cancellationToken = default) =>
        teamId is { } id
            ? await db.WorkingCalendars.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == id, cancellationToken) ?? WorkingCalendar.Default(id)
            : WorkingCalendar.Default(Guid.Empty);

    /// <summary>The calendars of the teams of <paramref name="userIds"/> (for lists spanning teams), by user id.</summary>
    public static async Task<IReadOnlyDictionary<string, WorkingCalendar>> OfUsersAsync(this AppDbContext db, IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        var ids = userIds.Distinct().ToList();
        var teams = await db.Users.Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.TeamId }).ToListAsync(cancellationToken);
        var teamIds = teams.Where(t => t.TeamId != null).Select(t => t.TeamId!.Value).Distinct().ToList();
        var stored = await db.WorkingCalendars.AsNoTracking().Where(c => teamIds.Contains(c.TeamId)).ToDictionaryAsync(c => c.TeamId, cancellationToken);
        var fallback = WorkingCalendar.Default(Guid.Empty);
        return teams.ToDictionary(
            t => t.Id,
            t => t.TeamId is { } teamId ? stored.GetValueOrDefault(teamId) ?? WorkingCalendar.Default(teamId) : fallback);
    }
}
