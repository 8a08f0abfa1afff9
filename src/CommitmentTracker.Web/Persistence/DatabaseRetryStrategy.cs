using System.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// Retries transient failures briefly (within <see cref="Budget"/>), so a user learns within two seconds that the database
/// is unavailable instead of waiting half a minute. A connection failure clears the connection pools, so the retry, and
/// everyone after it, opens a fresh connection instead of tripping over the dead ones of a restarted server.
/// </summary>
internal sealed class DatabaseRetryStrategy(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromMilliseconds(300), errorCodesToAdd: null)
{
    /// <summary>How long after the first failure another attempt may still start.</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private readonly Stopwatch _sinceFirstFailure = new();

    protected override void OnFirstExecution()
    {
        base.OnFirstExecution();
        _sinceFirstFailure.Reset();
    }

    protected override bool ShouldRetryOn(Exception? exception)
    {
        if (DatabaseAvailability.IsUnavailable(exception))
            NpgsqlConnection.ClearAllPools();
        return base.ShouldRetryOn(exception);
    }

    protected override TimeSpan? GetNextDelay(Exception lastException)
    {
        if (!_sinceFirstFailure.IsRunning)
            _sinceFirstFailure.Start();
        return _sinceFirstFailure.Elapsed > Budget ? null : base.GetNextDelay(lastException);
    }
}
