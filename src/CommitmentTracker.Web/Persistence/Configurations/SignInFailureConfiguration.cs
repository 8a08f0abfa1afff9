using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class SignInFailureConfiguration : IEntityTypeConfiguration<SignInFailure>
{
    public void Configure(EntityTypeBuilder<SignInFailure> builder)
    {
        builder.HasKey(f => f.LoginKey);
        // Identity's own limit for a normalised email.
        builder.Property(f => f.LoginKey).HasMaxLength(256);
        // Old rows are swept by age.
        builder.HasIndex(f => f.LastFailedAt);
    }
}
