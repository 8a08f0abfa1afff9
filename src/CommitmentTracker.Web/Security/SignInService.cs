using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Identity;

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

/// <summary>Signs a user in with email and password; failures count towards lockout.</summary>
public sealed partial class SignInService(
    UserManager<AppUser> userManager,
    SignInManager<AppUser> signInManager,
    ILogger<SignInService> logger)
{
    public async Task<SignInOutcome> SignInAsync(string email, string password, bool rememberMe)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);

        var login = email.Trim();
        var user = await userManager.FindByEmailAsync(login) ?? await userManager.FindByNameAsync(login);
        if (user is null)
        {
            // Spend the time of a password check anyway, so response times do not reveal which emails exist.
            userManager.PasswordHasher.HashPassword(new AppUser(), password);
            return SignInOutcome.WrongCredentials;
        }

        var result = await signInManager.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            LogSignedIn(logger, user.Id);
            return SignInOutcome.SignedIn;
        }

        if (result.IsLockedOut)
        {
            LogLockedOut(logger, user.Id);
            return SignInOutcome.LockedOut;
        }

        return result.IsNotAllowed ? await ExplainNotAllowedAsync(user, password) : SignInOutcome.WrongCredentials;
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
