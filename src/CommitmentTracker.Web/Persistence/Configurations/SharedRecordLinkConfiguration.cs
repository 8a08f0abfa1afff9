using CommitmentTracker.Domain;
using CommitmentTracker.Domain.DeliveryRecords;
using CommitmentTracker.Domain.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class SharedRecordLinkConfiguration : IEntityTypeConfiguration<SharedRecordLink>
{
    public void Configure(EntityTypeBuilder<SharedRecordLink> builder)
    {
        builder.ToTable("shared_record_links");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.TokenHash).HasMaxLength(ShareToken.HashLength).IsRequired();
        // The public page's lookup: one index probe by the presented token's hash.
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.Property(l => l.RepId).HasMaxLength(FieldLengths.UserId);
        builder.Property(l => l.Note).HasMaxLength(SharedRecordLink.NoteLength);
        builder.Property(l => l.CreatedBy).HasMaxLength(FieldLengths.UserId).IsRequired();
        builder.Property(l => l.RevokedBy).HasMaxLength(FieldLengths.UserId);
        builder.HasOne<Team>().WithMany().HasForeignKey(l => l.TeamId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(l => l.CreatedBy).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(l => l.RepId).OnDelete(DeleteBehavior.Restrict);
        // The lists of links: the team's (managers) and a creator's own, newest first.
        builder.HasIndex(l => new { l.TeamId, l.CreatedAt });
        builder.HasIndex(l => new { l.CreatedBy, l.CreatedAt });
        builder.HasXminVersion();
    }
}
