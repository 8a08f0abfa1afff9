namespace CommitmentTracker.Web.Persistence.Seeding;

/// <summary>Configuration of the demo company (section "Demo").</summary>
public sealed class DemoDataOptions
{
    public const string Section = "Demo";

    /// <summary>Seed the demo company on first start. Turn off in production: Demo__Enabled=false.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The password of every demo user.</summary>
    public string Password { get; set; } = "Demo-Password-2026!";
}
