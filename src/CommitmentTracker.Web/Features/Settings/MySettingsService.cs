using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Settings;

/// <summary>A user's own settings: the time zone every date and time is shown in (and read from their browser when unknown).</summary>
public sealed partial class MySettingsService(
    IDbContextFactory<AppDbContext> dbFactory, MySettingsValidator validator, ILogger<MySettingsService> logger)
{
    /// <summary>The stored zone of a user, or null when they have none (or there is no such user).</summary>
    public async Task<string?> TimeZoneOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TimeZone).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Stores the zone the browser reported (at sign-in or on the first page) for a user who has none yet; a zone the
    /// user or an admin chose is never replaced. Returns the zone the user has afterwards. An unknown id is ignored.
    /// </summary>
    public async Task<string?> AdoptBrowserZoneAsync(string userId, string? browserZone, CancellationToken cancellationToken = default)
    {
        var zone = TimeZoneIds.Normalize(browserZone);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (zone is not null)
        {
            var stored = await db.Users.Where(u => u.Id == userId && u.TimeZone == null)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, zone), cancellationToken);
            if (stored > 0)
                LogAdopted(logger, userId, zone);
        }
        return await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.TimeZone).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The signed-in user's settings.</summary>
    public async Task<MySettingsInput> GetAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return new MySettingsInput { TimeZone = await TimeZoneOfAsync(actor.UserId, cancellationToken) };
    }

    /// <summary>Saves the signed-in user's time zone; refuses an id that is no known zone. Returns the stored IANA id.</summary>
    public async Task<string> SaveAsync(Actor actor, MySettingsInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        await validator.EnsureValidAsync(input, cancellationToken);
        var zone = TimeZoneIds.Normalize(input.TimeZone)!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == actor.UserId && u.IsActive, cancellationToken)
            ?? throw new AccessChangedException(AccessChange.Deactivated);
        user.TimeZone = zone;
        await db.SaveChangesAsync(cancellationToken);
        return zone;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} has no time zone yet: using their browser's, {TimeZone}.")]
    private static partial void LogAdopted(ILogger logger, string userId, string timeZone);
}
