using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>
/// The deals a dashboard covers, shared by every part of the dashboard so they always agree: a manager gets their own
/// team's, whatever team was asked for; an admin the team they picked, or every team. Reps and service staff are refused.
/// </summary>
public sealed record DashboardScope(bool HasTeam, Guid? TeamId, string TeamName, IReadOnlyList<FilterOption<Guid>> Teams, IQueryable<Deal> Deals)
{
    /// <summary>
    /// The team's members, whose deals (and the promises, through <c>Commitment.DealOwnerId</c>) the dashboard covers;
    /// null for every team. A short list, so queries start from the team through the owner indexes.
    /// </summary>
    public IReadOnlyList<string>? OwnerIds { get; init; }

    /// <summary>The promises of the scope's deals, read through the deal owner (no join with the deals).</summary>
    public IQueryable<Commitment> Commitments(AppDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var owners = OwnerIds;
        return owners is null ? db.Commitments.AsNoTracking() : db.Commitments.AsNoTracking().Where(c => owners.Contains(c.DealOwnerId));
    }

    public static void EnsureAllowed(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsManager && !actor.IsAdmin)
            throw new AccessDeniedException("The dashboard is for managers and admins.");
    }

    /// <summary>
    /// Resolves the scope for <paramref name="actor"/>. A manager without a team gets <see cref="HasTeam"/> false and no
    /// deals; an admin asking for a team that does not exist gets <see cref="RecordNotFoundException"/>.
    /// </summary>
    public static async Task<DashboardScope> ResolveAsync(AppDbContext db, Actor actor, Guid? requestedTeamId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        EnsureAllowed(actor);
        var deals = db.Deals.AsNoTracking();
        if (actor.IsManager)
        {
            if (actor.TeamId is not { } own)
                return new DashboardScope(false, null, "", [], deals.Where(_ => false)) { OwnerIds = [] };
            var name = await db.Teams.AsNoTracking().Where(t => t.Id == own).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
            return await ForTeamAsync(db, own, name, [], cancellationToken);
        }

        var teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new FilterOption<Guid>(t.Id, t.Name)).ToListAsync(cancellationToken);
        if (requestedTeamId is not { } picked)
            return new DashboardScope(true, null, "All teams", teams, deals);
        var teamName = teams.FirstOrDefault(t => t.Value == picked)?.Label ?? throw new RecordNotFoundException("team");
        return await ForTeamAsync(db, picked, teamName, teams, cancellationToken);
    }

    /// <summary>A team's deals are its members' (the same rule as <see cref="DealAccess.EditableBy"/> for its managers).</summary>
    private static async Task<DashboardScope> ForTeamAsync(AppDbContext db, Guid teamId, string name, IReadOnlyList<FilterOption<Guid>> teams, CancellationToken cancellationToken)
    {
        var owners = await db.MembersOfTeamAsync(teamId, cancellationToken);
        return new DashboardScope(true, teamId, name, teams, db.Deals.AsNoTracking().Where(d => owners.Contains(d.OwnerId))) { OwnerIds = owners };
    }
}
