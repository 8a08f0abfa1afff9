namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>The demo company's accounts, seeded by the app at start when Demo:Enabled is true.</summary>
public static class DemoUsers
{
    public const string Password = "Demo-Password-2026!";

    public const string Rep = "rep@demo.local";
    public const string Manager = "manager@demo.local";
    public const string Service = "service@demo.local";
    public const string Fulfilment = "fulfilment@demo.local";
    public const string Admin = "admin@demo.local";
    public const string Rep2 = "rep2@demo.local";
    public const string Manager2 = "manager2@demo.local";
}
