using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CommitmentTracker.Web.Persistence;

/// <summary>Lets `dotnet ef` build the model without starting the app (it never connects).</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceServiceCollectionExtensions.Configure(options, "Host=127.0.0.1;Database=design_time;Username=postgres");
        return new AppDbContext(options.Options);
    }
}
