using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Performance;

/// <summary>One command the app sent to the database, with copies of its parameters so it can be explained later.</summary>
public sealed record RecordedCommand(string Sql, IReadOnlyList<NpgsqlParameter> Parameters)
{
    /// <summary>A read (SELECT or WITH ...): what EXPLAIN is asked about. Writes are counted, not explained.</summary>
    public bool IsQuery
    {
        get
        {
            var sql = Sql.TrimStart();
            return sql.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("WITH", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// The SQL on one line, at most about <paramref name="length"/> characters: its start (what it selects, from where)
    /// and its end (the WHERE and ORDER BY that tell one query from the next), enough to find it in the service.
    /// </summary>
    public string Excerpt(int length = 400)
    {
        var oneLine = string.Join(' ', Sql.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (oneLine.Length <= length)
            return oneLine;
        var head = length * 2 / 5;
        return string.Concat(oneLine.AsSpan(0, head), " ... ", oneLine.AsSpan(oneLine.Length - (length - head)));
    }
}

/// <summary>
/// Records every command EF Core sends through the contexts it is added to, while <see cref="RecordAsync"/> runs.
/// The recording follows the async flow, so only the work passed in is recorded.
/// </summary>
public sealed class SqlCommandRecorder : DbCommandInterceptor
{
    private readonly AsyncLocal<List<RecordedCommand>?> _current = new();

    public async Task<IReadOnlyList<RecordedCommand>> RecordAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var commands = new List<RecordedCommand>();
        _current.Value = commands;
        try
        {
            await work();
        }
        finally
        {
            _current.Value = null;
        }
        lock (commands)
            return [.. commands];
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        if (_current.Value is not { } commands)
            return;
        // Copied now: EF disposes the command and may reuse its parameter objects once it has run.
        var parameters = command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToList();
        lock (commands)
            commands.Add(new RecordedCommand(command.CommandText, parameters));
    }
}
