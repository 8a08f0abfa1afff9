using System.Net.Sockets;
using Npgsql;

namespace CommitmentTracker.Web.Persistence;

/// <summary>One answer to "did this fail because the database cannot be reached?", for the page actions, the 503 page and saves.</summary>
public static class DatabaseAvailability
{
    /// <summary>What a user is told when a save could not reach the database (nothing was stored).</summary>
    public const string UnavailableMessage =
        "The database is not available right now, so this was not saved. What you entered is still here: try again in a moment.";

    /// <summary>True when <paramref name="exception"/> (or one it wraps) says the database is down, restarting or unreachable.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case DatabaseUnavailableException or SaveOutcomeUnknownException:
                    return true;
                case PostgresException postgres:
                    // 08: connection exception; 57P01-03: shutting down, crashed, starting up; 53300: too many connections.
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
                        || postgres.SqlState == PostgresErrorCodes.TooManyConnections;
                case NpgsqlException { IsTransient: true }:
                case SocketException:
                case TimeoutException:
                    return true;
                default:
                    // Wrappers (DbUpdateException, RetryLimitExceededException): look at what they wrap.
                    continue;
            }
        }

        return false;
    }

    /// <summary>The sentence to show for an exception <see cref="IsUnavailable"/> accepts.</summary>
    public static string MessageFor(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SaveOutcomeUnknownException unknown)
                return unknown.Message;
        }
        return UnavailableMessage;
    }
}

/// <summary>A save could not reach the database before committing: nothing of it was stored.</summary>
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
        : base(DatabaseAvailability.UnavailableMessage)
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DatabaseUnavailableException(Exception innerException)
        : base(DatabaseAvailability.UnavailableMessage, innerException)
    {
    }
}

/// <summary>
/// The database went away while committing a save and did not come back in time to say whether the commit happened.
/// Rare (only a commit whose answer was lost); the user is told to check before saving again.
/// </summary>
public sealed class SaveOutcomeUnknownException : Exception
{
    public const string DefaultMessage =
        "The database stopped answering while this was being saved, so it is not known yet whether it was saved. "
        + "What you entered is still here: once the database is back, reload the page to check before saving it again.";

    public SaveOutcomeUnknownException()
        : base(DefaultMessage)
    {
    }

    public SaveOutcomeUnknownException(string message)
        : base(message)
    {
    }

    public SaveOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SaveOutcomeUnknownException(Exception innerException)
        : base(DefaultMessage, innerException)
    {
    }
}
