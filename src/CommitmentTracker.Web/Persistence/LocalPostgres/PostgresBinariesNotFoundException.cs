namespace CommitmentTracker.Web.Persistence.LocalPostgres;

/// <summary>Thrown when no PostgreSQL server binaries (initdb, pg_ctl) can be found to run a local cluster.</summary>
public sealed class PostgresBinariesNotFoundException : Exception
{
    /// <summary>The advice every variant of this error ends with, so the reader always learns how to fix it.</summary>
    public const string Advice =
        "Install them with `sudo apt-get install -y postgresql` (Debian/Ubuntu), "
        + "or set PostgreSQL__BinDirectory to the folder that contains initdb and pg_ctl "
        + "(e.g. /usr/lib/postgresql/15/bin), "
        + "or point the app at an existing server with "
        + "ConnectionStrings__Default=\"Host=...;Port=5432;Database=commitmenttracker;Username=...;Password=...\".";

    public PostgresBinariesNotFoundException()
        : this(searchedLocations: [])
    {
    }

    public PostgresBinariesNotFoundException(string message)
        : base(message)
    {
    }

    public PostgresBinariesNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PostgresBinariesNotFoundException(IReadOnlyCollection<string> searchedLocations)
        : base(BuildMessage(searchedLocations))
    {
        SearchedLocations = searchedLocations;
    }

    /// <summary>Where binaries were looked for (empty when unknown).</summary>
    public IReadOnlyCollection<string> SearchedLocations { get; } = [];

    private static string BuildMessage(IReadOnlyCollection<string> searchedLocations)
    {
        var searched = searchedLocations.Count == 0
            ? string.Empty
            : " Looked in: " + string.Join(", ", searchedLocations) + ".";
        return "PostgreSQL server binaries (initdb, pg_ctl) were not found." + searched + " " + Advice;
    }
}
