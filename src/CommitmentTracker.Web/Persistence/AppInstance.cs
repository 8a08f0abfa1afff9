namespace CommitmentTracker.Web.Persistence;

/// <summary>The name of this app instance among several (recorded with the sweep runs, shown in logs).</summary>
public static class AppInstance
{
    /// <summary>Configuration key of the name; unset, the host name and process id.</summary>
    public const string NameKey = "App:InstanceName";

    public static string Name(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration[NameKey] is { Length: > 0 } name ? name : DefaultName;
    }

    public static string DefaultName { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";
}
