using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// Every save is one transaction whose id is read first, so a commit whose answer is lost (the database died in that
/// instant) is never guessed at: the database is asked whether that transaction committed. A save is therefore reported
/// as saved only when it is stored, as "not saved" only when it is not, and is never applied twice by a retry.
/// </summary>
public sealed partial class AppDbContext
{
    /// <summary>
    /// How long a save whose commit answer was lost waits for the database to say whether it committed: short, so the
    /// user hears within two seconds; past it they are told the outcome is not known yet and to check before saving again.
    /// </summary>
    internal static readonly TimeSpan CommitResolutionWindow = TimeSpan.FromSeconds(1.5);

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (Database.CurrentTransaction is not null)
        {
            // The caller runs its own transaction (and execution strategy); its commit is its own.
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        var strategy = Database.CreateExecutionStrategy();
        var saved = await strategy.ExecuteAsync(this, static (_, db, ct) => db.SaveInOneVerifiedTransactionAsync(ct), verifySucceeded: null, cancellationToken);
        if (acceptAllChangesOnSuccess)
            ChangeTracker.AcceptAllChanges();
        return saved;
    }

    private async Task<int> SaveInOneVerifiedTransactionAsync(CancellationToken cancellationToken)
    {
        // Nothing is written yet: a connection failure here escapes to the execution strategy, which may retry.
        await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
        var transactionId = await Database.SqlQueryRaw<string>("SELECT pg_current_xact_id()::text AS \"Value\"").SingleAsync(cancellationToken);

        // From here on a retry would run the save interceptors twice: failures are reported, never retried.
        int saved;
        try
        {
            saved = await base.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
        }
        catch (Exception ex) when (DatabaseAvailability.IsUnavailable(ex) || ConnectionLost())
        {
            // Not committed: the transaction dies with its connection. (A connection lost between two statements shows up
            // as "transaction is already completed" from the next one, hence the state check.)
            throw new DatabaseUnavailableException(ex);
        }

        try
        {
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex) when (DatabaseAvailability.IsUnavailable(ex) || ConnectionLost())
        {
            switch (await CommitOutcomeAsync(transactionId, cancellationToken))
            {
                case "committed":
                    return saved;
                case "aborted":
                    throw new DatabaseUnavailableException(ex);
                default:
                    throw new SaveOutcomeUnknownException(ex);
            }
        }

        return saved;
    }

    private bool ConnectionLost() =>
        Database.GetDbConnection() is var connection
        && (connection.State == System.Data.ConnectionState.Closed
            || (connection is NpgsqlConnection npgsql && (npgsql.FullState & System.Data.ConnectionState.Broken) != 0));

    /// <summary>Asks the database (on a fresh connection, until <see cref="CommitResolutionWindow"/> passes) what became of a transaction.</summary>
    private async Task<string?> CommitOutcomeAsync(string transactionId, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(Database.GetConnectionString()) { Pooling = false }.ConnectionString;
        var deadline = DateTime.UtcNow + CommitResolutionWindow;
        var pause = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("SELECT pg_xact_status(@id::xid8)", connection);
                command.Parameters.AddWithValue("id", transactionId);
                var status = await command.ExecuteScalarAsync(cancellationToken) as string;
                if (status is "committed" or "aborted" or null)
                    return status;

                // "in progress": the backend that ran it has not finished dying yet.
            }
            catch (Exception ex) when (DatabaseAvailability.IsUnavailable(ex))
            {
                // Still down: ask again until the window closes.
            }

            if (DateTime.UtcNow + pause > deadline)
                return null;
            await Task.Delay(pause, cancellationToken);
            pause = TimeSpan.FromMilliseconds(Math.Min(1000, pause.TotalMilliseconds * 2));
        }
    }
}
