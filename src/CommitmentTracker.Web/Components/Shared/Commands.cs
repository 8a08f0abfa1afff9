using CommitmentTracker.Domain;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using ValidationException = FluentValidation.ValidationException;
using MudBlazor;

namespace CommitmentTracker.Web.Components.Shared;

/// <summary>What a user action came to when it did not succeed: the sentence to show, and whether it was a fault.</summary>
/// <param name="Message">What the user reads; the form and its input stay as they were.</param>
/// <param name="Reference">The id under which an unexpected fault was logged, for the user to quote; null for a refusal.</param>
public sealed record CommandError(string Message, string? Reference = null)
{
    /// <summary>True when this was a fault of ours (logged), not a refusal the user can act on.</summary>
    public bool IsFault => Reference is not null;
}

/// <summary>Whether the action saved something or only read: decides the wording of an unexpected fault.</summary>
public enum CommandKind
{
    Save,
    Load,
}

/// <summary>
/// The boundary of every user action on a page: runs the page's call to a service and turns whatever it throws into a
/// message, so that no input and no fault ends the circuit or loses what the user typed. Known refusals (a rule, a field,
/// a concurrent change, a record out of reach, a role) read as their own message; anything else is logged with a short
/// reference the user can quote. <see cref="Classify"/> is the one place that decides.
/// </summary>
public static class Commands
{
    // Read at each use: the host replaces the static logger after start-up (and a test may, to read what was logged).
    private static Serilog.ILogger Log => Serilog.Log.ForContext(typeof(Commands));

    /// <summary>Returns true when the action succeeded; otherwise shows why and returns false (nothing was saved).</summary>
    public static async Task<bool> TryAsync(this ISnackbar snackbar, Func<Task> action, string? success = null)
    {
        ArgumentNullException.ThrowIfNull(snackbar);
        var error = await ErrorOfAsync(action);
        if (error is null)
        {
            if (success is not null)
                snackbar.Add(success, Severity.Success);
            return true;
        }
        snackbar.Add(error, Severity.Error, o => o.VisibleStateDuration = 10_000);
        return false;
    }

    /// <summary>Runs a page's load; returns null when it succeeded, or the message to show in place of what did not load.</summary>
    public static Task<string?> LoadErrorOfAsync(Func<Task> load) => ErrorOfAsync(load, CommandKind.Load);

    /// <summary>Runs the action; returns the message to show when it was refused or failed, or null when it succeeded.</summary>
    public static async Task<string?> ErrorOfAsync(Func<Task> action, CommandKind kind = CommandKind.Save) =>
        (await OutcomeOfAsync(action, kind))?.Message;

    /// <summary>Runs the action; returns what went wrong, or null when it succeeded. Never throws (but for cancellation).</summary>
    public static async Task<CommandError?> OutcomeOfAsync(Func<Task> action, CommandKind kind = CommandKind.Save)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            await action();
            return null;
        }
        catch (OperationCanceledException)
        {
            throw; // the circuit or page is going away: nobody is left to tell
        }
#pragma warning disable CA1031 // this is the boundary: nothing a user does may end the circuit
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Classify(ex, kind);
        }
    }

    /// <summary>
    /// The one classification of what an action threw: a refusal with a message for the user, or a fault of ours, logged
    /// (Serilog, error level) with a reference that is also in the message. Add new kinds of trouble here.
    /// </summary>
    public static CommandError Classify(Exception exception, CommandKind kind = CommandKind.Save)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case DomainException or ConcurrencyConflictException or RecordNotFoundException or AccessDeniedException or AccessChangedException:
                return new CommandError(exception.Message);
            case ValidationException validation:
                return new CommandError(string.Join(" ", validation.Errors.Select(e => e.ErrorMessage).Distinct()));
            case var unavailable when DatabaseAvailability.IsUnavailable(unavailable):
                // The input stays in the form; the message says the database is unavailable (or that the outcome is not known yet).
                Log.Warning(unavailable, "The database was unavailable during a user's {CommandKind}", kind);
                return new CommandError(kind == CommandKind.Load
                    ? "The database is not available right now, so this could not be loaded. Try again in a moment."
                    : DatabaseAvailability.MessageFor(unavailable));
            default:
                var reference = NewReference();
                Log.Error(exception, "Unexpected error in a user's {CommandKind} (reference {ErrorReference})", kind, reference);
                return new CommandError(FaultMessage(kind, reference), reference);
        }
    }

    /// <summary>The sentence for a fault of ours, with the reference it was logged under.</summary>
    public static string FaultMessage(CommandKind kind, string reference) => kind == CommandKind.Load
        ? $"That didn't load: something went wrong on our side. Try again. Reference: {reference}"
        : $"That didn't save: something went wrong on our side. What you entered is still here. Try again. Reference: {reference}";

    /// <summary>A short id a user can read out over the phone; logged with the exception.</summary>
    public static string NewReference() => Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
}
