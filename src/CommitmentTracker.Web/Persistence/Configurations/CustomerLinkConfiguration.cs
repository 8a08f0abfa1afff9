using CommitmentTracker.Domain;
using CommitmentTracker.Domain.CustomerLinks;
using CommitmentTracker.Domain.Deals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class CustomerLinkConfiguration : IEntityTypeConfiguration<CustomerLink>
{
    public void Configure(EntityTypeBuilder<CustomerLink> builder)
    {
        builder.ToTable("customer_links");
        builder.HasKey(l => l.Id);
        builder.Ignore(l => l.Actor);
        builder.Property(l => l.TokenHash).HasMaxLength(ShareToken.HashLength).IsRequired();
        // The customer's page: one index probe by the presented token's hash.
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.CreatedBy).HasMaxLength(FieldLengths.UserId).IsRequired();
        builder.Property(l => l.RevokedBy).HasMaxLength(FieldLengths.UserId);
        builder.HasOne<Deal>().WithMany().HasForeignKey(l => l.DealId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(l => l.CreatedBy).OnDelete(DeleteBehavior.Restrict);
        // The deal page's list of its links, newest first.
        builder.HasIndex(l => new { l.DealId, l.CreatedAt });
    }
}
