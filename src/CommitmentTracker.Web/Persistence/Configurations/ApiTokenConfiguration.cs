using CommitmentTracker.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.UserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        builder.Property(t => t.Name).HasMaxLength(ApiToken.NameLength).IsRequired();
        builder.Property(t => t.Prefix).HasMaxLength(ApiToken.PrefixLength).IsRequired();
        builder.Property(t => t.TokenHash).HasMaxLength(32).IsRequired();
        builder.Property(t => t.RevokedBy).HasMaxLength(FieldLengths.UserId);
        // Every API request: one index probe by the presented token's hash.
        builder.HasIndex(t => t.TokenHash).IsUnique();
        // A user's tokens, newest first.
        builder.HasIndex(t => new { t.UserId, t.CreatedAt });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasXminVersion();
    }
}
