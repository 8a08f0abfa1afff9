using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal static class ModelBuilderExtensions
{
    /// <summary>Maps PostgreSQL's xmin system column as the row version, so two people editing one row never silently overwrite.</summary>
    public static void HasXminVersion<T>(this EntityTypeBuilder<T> builder) where T : class =>
        builder.Property<uint>(AppDbContext.Version).IsRowVersion();
}
