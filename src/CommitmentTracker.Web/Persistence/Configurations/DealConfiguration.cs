using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class DealConfiguration : IEntityTypeConfiguration<Deal>
{
    public void Configure(EntityTypeBuilder<Deal> builder)
    {
        builder.Property(d => d.Title).HasMaxLength(FieldLengths.Title);
        builder.Property(d => d.OwnerId).HasMaxLength(FieldLengths.UserId);
        builder.Property(d => d.ExpectedOutcome).HasMaxLength(FieldLengths.Text);
        builder.Property(d => d.PurchaseOrderReference).HasMaxLength(FieldLengths.Reference);
        builder.Property(d => d.PaymentReference).HasMaxLength(FieldLengths.Reference);
        builder.Property(d => d.LostNote).HasMaxLength(FieldLengths.Text);
        builder.ComplexProperty(d => d.Value, money =>
        {
            money.Property(m => m.Amount).HasColumnName("value_amount").HasPrecision(18, 2);
            money.Property(m => m.Currency).HasColumnName("value_currency").HasMaxLength(FieldLengths.Currency);
        });
        builder.OwnsOne(d => d.ChecklistAcknowledgement, ack =>
        {
            ack.Property(a => a.ContactName).HasColumnName("checklist_ack_contact").HasMaxLength(FieldLengths.Name);
            ack.Property(a => a.At).HasColumnName("checklist_ack_at");
            ack.Property(a => a.Channel).HasColumnName("checklist_ack_channel");
        });
        builder.Ignore(d => d.OpenRequiredItems);

        builder.HasOne<Account>().WithMany().HasForeignKey(d => d.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(d => d.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(d => d.Commitments).WithOne().HasForeignKey(c => c.DealId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.Checklist).WithOne().HasForeignKey(i => i.DealId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.SharedRisks).WithOne().HasForeignKey(r => r.DealId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.Touchpoints).WithOne().HasForeignKey(t => t.DealId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.StageHistory).WithOne().HasForeignKey(s => s.DealId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(d => d.TechnicalReviews).WithOne().HasForeignKey(r => r.DealId).OnDelete(DeleteBehavior.Cascade);

        // The lists reps and managers open: my deals by stage, newest first.
        builder.HasIndex(d => new { d.OwnerId, d.Stage });
        builder.HasIndex(d => d.AccountId);
        // The top-bar search finds deals by any part of their title.
        builder.HasIndex(d => d.Title, "ix_deals_title_trgm").HasDatabaseName("ix_deals_title_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.HasIndex(d => new { d.Stage, d.StageEnteredAt });
        builder.HasXminVersion();
    }
}

internal sealed class DealChecklistItemConfiguration : IEntityTypeConfiguration<DealChecklistItem>
{
    public void Configure(EntityTypeBuilder<DealChecklistItem> builder)
    {
        builder.Property(i => i.Title).HasMaxLength(FieldLengths.Title);
        builder.Property(i => i.Guidance).HasMaxLength(FieldLengths.Text);
        builder.Property(i => i.Answer).HasMaxLength(FieldLengths.Text);
        builder.Property(i => i.AnsweredBy).HasMaxLength(FieldLengths.UserId);
        builder.HasIndex(i => new { i.DealId, i.Position }).IsUnique();
        builder.HasXminVersion();
    }
}

internal sealed class TouchpointConfiguration : IEntityTypeConfiguration<Touchpoint>
{
    public void Configure(EntityTypeBuilder<Touchpoint> builder)
    {
        builder.Property(t => t.CompletedBy).HasMaxLength(FieldLengths.UserId);
        // A rep's home lists open touchpoints by due date.
        builder.HasIndex(t => new { t.DueOn, t.DealId }).HasFilter("completed_at IS NULL AND NOT is_cancelled");
        // All of a deal's touchpoints (the deal page), and its open ones (Today starts from the user's deals).
        builder.HasIndex(t => t.DealId);
        builder.HasIndex(t => new { t.DealId, t.DueOn }).HasFilter("completed_at IS NULL AND NOT is_cancelled")
            .HasDatabaseName("ix_touchpoints_open_by_deal");
        builder.HasXminVersion();
    }
}

internal sealed class DealStageChangeConfiguration : IEntityTypeConfiguration<DealStageChange>
{
    public void Configure(EntityTypeBuilder<DealStageChange> builder)
    {
        builder.Property(s => s.ByUserId).HasMaxLength(FieldLengths.UserId);
        builder.HasIndex(s => new { s.DealId, s.At });
    }
}

internal sealed class SharedRiskConfiguration : IEntityTypeConfiguration<SharedRisk>
{
    public void Configure(EntityTypeBuilder<SharedRisk> builder)
    {
        builder.Property(r => r.Title).HasMaxLength(FieldLengths.Title);
        builder.Property(r => r.Response).HasMaxLength(FieldLengths.Text);
        builder.Property(r => r.SharedBy).HasMaxLength(FieldLengths.UserId);
        builder.HasOne<RiskLibraryEntry>().WithMany().HasForeignKey(r => r.RiskLibraryEntryId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.DealId, r.RiskLibraryEntryId }).IsUnique();
    }
}

internal sealed class TechnicalReviewConfiguration : IEntityTypeConfiguration<TechnicalReview>
{
    public void Configure(EntityTypeBuilder<TechnicalReview> builder)
    {
        builder.Property(r => r.Request).HasMaxLength(FieldLengths.Text);
        builder.Property(r => r.RequestedBy).HasMaxLength(FieldLengths.UserId);
        builder.Property(r => r.ReviewerId).HasMaxLength(FieldLengths.UserId);
        builder.Property(r => r.Comment).HasMaxLength(FieldLengths.Text);
        builder.HasIndex(r => new { r.DealId, r.RequestedAt });
        // Service staff's list of reviews waiting for them.
        builder.HasIndex(r => r.Outcome).HasFilter("outcome = 'Pending'");
        builder.HasXminVersion();
    }
}
