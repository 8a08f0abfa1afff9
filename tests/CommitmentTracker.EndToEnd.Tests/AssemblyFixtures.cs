using CommitmentTracker.Web.Tests.Infrastructure;

// One PostgreSQL server for every browser test class; each AppHost creates its own database on it.
[assembly: AssemblyFixture(typeof(PostgresServer))]
