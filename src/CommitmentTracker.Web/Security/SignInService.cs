using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Security;

/// <summary>What happened to a password sign-in, in the terms the sign-in page explains.</summary>
public enum SignInOutcome
{
    SignedIn,
    WrongCredentials,
    LockedOut,
    Deactivated,
    NotAllowed,
}

/// <summary>
/// Signs a user in with email and password; failures count towards lockout, for addresses that are no account too, so
/// that neither the message nor the lockout tells which addresses exist.
/// </summary>
public sealed partial class SignInService(
    UserManager<AppUser> userManager,
    SignInManager<AppUser> signInManager,
    IDbContextFactory<AppDbContext> dbFactory,
    IOptions<IdentityOptions> identityOptions,
    TimeProvider clock,
    ILogger<SignInService> logger)
{
    /// <summary>How long failures of an unknown address are remembered when no more come.</summary>
    public static readonly TimeSpan UnknownAddressMemory = TimeSpan.FromDays(1);

    /// <summary>Signs in; <paramref name="whenSignedIn"/> runs with the user's id after a successful sign-in.</summary>
    public async Task<SignInOutcome> SignInAsync(string email, string password, bool rememberMe, Func<string, Task>? whenSignedIn = null)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);

        var login = email.Trim();
        var user = await userManager.FindByEmailAsync(login) ?? await userManager.FindByNameAsync(login);
        if (user is null)
            return await FailUnknownAddressAsync(login, password);

        var result = await signInManager.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            LogSignedIn(logger, user.Id);
            if (whenSignedIn is not null)
                await whenSignedIn(user.Id);
            return SignInOutcome.SignedIn;
        }

        if (result.IsLockedOut)
        {
            LogLockedOut(logger, user.Id);
            return SignInOutcome.LockedOut;
        }

        return result.IsNotAllowed ? await ExplainNotAllowedAsync(user, password) : SignInOutcome.WrongCredentials;
    }

    /// <summary>
    /// What Identity does for a real account, done for an address that is none: refused without a password check while
    /// locked out; otherwise the time of a password check is spent, the failure counted, and the configured number of
    /// failures in a row locks the address for the configured time.
    /// </summary>
    private async Task<SignInOutcome> FailUnknownAddressAsync(string login, string password)
    {
        var lockout = identityOptions.Value.Lockout;
        var key = userManager.NormalizeEmail(login) ?? login.ToUpperInvariant();
        if (key.Length > 256)
            key = key[..256];
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync();
        var failure = await db.SignInFailures.SingleOrDefaultAsync(f => f.LoginKey == key);
        if (failure?.LockoutEnd > now)
            return SignInOutcome.LockedOut;

        userManager.PasswordHasher.HashPassword(new AppUser(), password);
        if (failure is null)
        {
            failure = new SignInFailure { LoginKey = key };
            db.SignInFailures.Add(failure);
        }
        failure.LastFailedAt = now;
        failure.FailedCount++;
        var lockedOut = failure.FailedCount >= lockout.MaxFailedAccessAttempts;
        if (lockedOut)
        {
            failure.LockoutEnd = now + lockout.DefaultLockoutTimeSpan;
            failure.FailedCount = 0;
        }
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Two failures for the same new address at once: one of them is counted, as for a real account's race.
            return SignInOutcome.WrongCredentials;
        }
        // Addresses nobody tried for a day are forgotten, so guessing cannot grow the table without end.
        await db.SignInFailures.Where(f => f.LastFailedAt < now - UnknownAddressMemory && (f.LockoutEnd == null || f.LockoutEnd < now))
            .ExecuteDeleteAsync();
        return lockedOut ? SignInOutcome.LockedOut : SignInOutcome.WrongCredentials;
    }

    private async Task<SignInOutcome> ExplainNotAllowedAsync(AppUser user, string password)
    {
        // Identity refuses before it checks the password; say why only to someone who knows the password,
        // so the page does not tell strangers which accounts exist or are deactivated.
        if (!await userManager.CheckPasswordAsync(user, password))
        {
            await userManager.AccessFailedAsync(user);
            return await userManager.IsLockedOutAsync(user) ? SignInOutcome.LockedOut : SignInOutcome.WrongCredentials;
        }

        LogNotAllowed(logger, user.Id, user.IsActive);
        return user.IsActive ? SignInOutcome.NotAllowed : SignInOutcome.Deactivated;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in.")]
    private static partial void LogSignedIn(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} is locked out after repeated failed sign-ins.")]
    private static partial void LogLockedOut(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} gave the right password but may not sign in (active: {IsActive}).")]
    private static partial void LogNotAllowed(ILogger logger, string userId, bool isActive);
}
