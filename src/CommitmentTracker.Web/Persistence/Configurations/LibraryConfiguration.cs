using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class ChecklistTemplateConfiguration : IEntityTypeConfiguration<ChecklistTemplate>
{
    public void Configure(EntityTypeBuilder<ChecklistTemplate> builder)
    {
        builder.Property(t => t.CreatedBy).HasMaxLength(FieldLengths.UserId);
        builder.HasIndex(t => t.Version).IsUnique();
        // At most one active version at any time.
        builder.HasIndex(t => t.IsActive).IsUnique().HasFilter("is_active");
        builder.OwnsMany(t => t.Items, item =>
        {
            item.ToTable("checklist_template_items");
            item.WithOwner().HasForeignKey("ChecklistTemplateId");
            item.HasKey(i => i.Id);
            item.Property(i => i.Title).HasMaxLength(FieldLengths.Title);
            item.Property(i => i.Guidance).HasMaxLength(FieldLengths.Text);
        });
        builder.HasXminVersion();
    }
}

internal sealed class RiskLibraryEntryConfiguration : IEntityTypeConfiguration<RiskLibraryEntry>
{
    public void Configure(EntityTypeBuilder<RiskLibraryEntry> builder)
    {
        builder.ToTable("risk_library");
        builder.Property(r => r.Title).HasMaxLength(FieldLengths.Title);
        builder.Property(r => r.Description).HasMaxLength(FieldLengths.Text);
        builder.Property(r => r.UsualResponse).HasMaxLength(FieldLengths.Text);
        builder.Property(r => r.AppliesTo)
            .HasConversion(
                kinds => string.Join(',', kinds),
                text => text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<CommitmentKind>).ToList(),
                new ValueComparer<List<CommitmentKind>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (h, k) => HashCode.Combine(h, k)),
                    v => v.ToList()))
            .HasMaxLength(FieldLengths.Name);
        builder.HasIndex(r => r.Title).IsUnique();
        builder.HasXminVersion();
    }
}

internal sealed class CommunicationEntryConfiguration : IEntityTypeConfiguration<CommunicationEntry>
{
    public void Configure(EntityTypeBuilder<CommunicationEntry> builder)
    {
        builder.Property(e => e.People).HasMaxLength(FieldLengths.Name);
        builder.Property(e => e.Summary).HasMaxLength(FieldLengths.Text);
        builder.Property(e => e.LoggedBy).HasMaxLength(FieldLengths.UserId);
        builder.HasOne<Deal>().WithMany().HasForeignKey(e => e.DealId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Commitment>().WithMany().HasForeignKey(e => e.CommitmentId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CommunicationEntry>().WithMany().HasForeignKey(e => e.CorrectsEntryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<InboundEmail>().WithMany().HasForeignKey(e => e.EmailId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(e => new { e.DealId, e.OccurredAt });
    }
}
