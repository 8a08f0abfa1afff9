using CommitmentTracker.Domain;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Persistence;
using ValidationException = FluentValidation.ValidationException;
using MudBlazor;

namespace CommitmentTracker.Web.Components.Shared;

/// <summary>Runs a page's call to a service and turns refusals into messages the user can act on.</summary>
public static class Commands
{
    /// <summary>Returns true when the action succeeded; otherwise shows why and returns false (nothing was saved).</summary>
    public static async Task<bool> TryAsync(this ISnackbar snackbar, Func<Task> action, string? success = null)
    {
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

    /// <summary>Runs the action; returns the message to show when it was refused, or null when it succeeded.</summary>
    public static async Task<string?> ErrorOfAsync(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (DomainException ex) { return ex.Message; }
        catch (ValidationException ex) { return string.Join(" ", ex.Errors.Select(e => e.ErrorMessage).Distinct()); }
        catch (ConcurrencyConflictException ex) { return ex.Message; }
        catch (RecordNotFoundException ex) { return ex.Message; }
        catch (AccessDeniedException ex) { return ex.Message; }
        catch (Exception ex) when (DatabaseAvailability.IsUnavailable(ex)) { return DatabaseAvailability.MessageFor(ex); }
    }
}
