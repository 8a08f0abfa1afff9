using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed partial class CommitmentConfiguration : IEntityTypeConfiguration<Commitment>
{
    public void Configure(EntityTypeBuilder<Commitment> builder)
    {
        builder.Property(c => c.Description).HasMaxLength(FieldLengths.Text);
        builder.Property(c => c.OwnerId).HasMaxLength(FieldLengths.UserId);
        builder.Property(c => c.CreatedBy).HasMaxLength(FieldLengths.UserId);
        builder.Property(c => c.WaivedReason).HasMaxLength(FieldLengths.Text);
        builder.Property(c => c.WaivedBy).HasMaxLength(FieldLengths.UserId);
        builder.Property(c => c.AggressiveReason).HasMaxLength(FieldLengths.Text);
        builder.Property(c => c.Evidence).HasMaxLength(FieldLengths.Text);
        builder.Property(c => c.AggressiveDecidedBy).HasMaxLength(FieldLengths.UserId);
        builder.Property(c => c.ForecastProbability).HasPrecision(4, 3);
        builder.OwnsOne(c => c.Acknowledgement, ack =>
        {
            ack.Property(a => a.ContactName).HasColumnName("ack_contact").HasMaxLength(FieldLengths.Name);
            ack.Property(a => a.At).HasColumnName("ack_at");
            ack.Property(a => a.Channel).HasColumnName("ack_channel");
        });
        builder.OwnsOne(c => c.Acceptance, acc =>
        {
            acc.Property(a => a.ConfirmedBy).HasColumnName("acceptance_by").HasMaxLength(FieldLengths.Name);
            acc.Property(a => a.ConfirmedOn).HasColumnName("acceptance_on");
            acc.Property(a => a.Channel).HasColumnName("acceptance_channel");
        });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(c => c.Milestones).WithOne().HasForeignKey(m => m.CommitmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.DateHistory).WithOne().HasForeignKey(h => h.CommitmentId).OnDelete(DeleteBehavior.Cascade);

        builder.Ignore(c => c.RiskReasons);
        builder.Property<List<CommitmentTracker.Domain.Risk.RiskReason>>("_riskReasons")
            .HasColumnName("risk_reasons")
            .HasColumnType("jsonb")
            .HasConversion(
                reasons => JsonSerializer.Serialize(reasons, JsonSerializerOptions.Web),
                json => ReadReasons(json),
                new ValueComparer<List<CommitmentTracker.Domain.Risk.RiskReason>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (h, r) => HashCode.Combine(h, r)),
                    v => v.ToList()));
        // The dashboard's at-risk list reads stored levels with one indexed query.
        builder.HasIndex(c => new { c.RiskLevel, c.Direction, c.Status });
        builder.HasIndex(c => new { c.DealId, c.PromisedDate });
        // A deal's open promises (deal lists, Today, the dashboard's approvals) and its promises not on track (lists, the
        // dashboard): small partial indexes probed once per deal.
        builder.HasIndex(c => new { c.DealId, c.Status, c.Direction, c.PromisedDate }).HasFilter("status = 'Open' OR status = 'Broken'")
            .HasDatabaseName("ix_commitments_open_by_deal");
        builder.HasIndex(c => new { c.DealId, c.RiskLevel }).HasFilter("risk_level <> 'OnTrack'")
            .HasDatabaseName("ix_commitments_not_on_track_by_deal");
        // A team's promises start from its reps (the deal's owner, copied onto the promise): not on track (the dashboard's
        // lists and tiles), counted in the delivery record (kept by completion date), and open (by promised date).
        builder.Property(c => c.DealOwnerId).HasMaxLength(FieldLengths.UserId);
        builder.HasIndex(c => new { c.DealOwnerId, c.RiskLevel }).HasFilter("risk_level <> 'OnTrack'")
            .HasDatabaseName("ix_commitments_not_on_track_by_owner");
        // Both carry what the record counts (department, status, deal), so counting a team's year is an index-only scan.
        builder.HasIndex(c => new { c.DealOwnerId, c.Direction, c.CompletedOn }).HasFilter("status = 'Kept' OR status = 'KeptLate'")
            .IncludeProperties(c => new { c.Department, c.Status, c.DealId, c.Id })
            .HasDatabaseName("ix_commitments_kept_by_owner");
        builder.HasIndex(c => new { c.DealOwnerId, c.Direction, c.PromisedDate }).HasFilter("status = 'Open' OR status = 'Broken'")
            .IncludeProperties(c => new { c.Department, c.Status, c.DealId, c.Id })
            .HasDatabaseName("ix_commitments_open_by_owner");
        // The risk sweep's queue: open promises of ours whose review day has come.
        builder.HasIndex(c => c.RiskReviewOn).HasFilter("risk_review_on IS NOT NULL");
        // The top-bar search finds promises by any part of their text.
        builder.HasIndex(c => c.Description, "ix_commitments_description_trgm").HasDatabaseName("ix_commitments_description_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        // Accounts with a broken promise of ours in a window, across every team (the accounts list's filter for admins).
        builder.HasIndex(c => new { c.PromisedDate, c.DealId }, "ix_commitments_ours_open_by_promised_date").HasDatabaseName("ix_commitments_ours_open_by_promised_date")
            .HasFilter("direction = 'Ours' AND (status = 'Open' OR status = 'Broken')");
        // Promises due soon for an owner; approvals waiting for a manager.
        builder.HasIndex(c => new { c.OwnerId, c.Status, c.PromisedDate });
        builder.HasIndex(c => c.AggressiveApproval).HasFilter("aggressive_approval = 'Pending'");
        builder.HasXminVersion();
    }
}

internal sealed partial class CommitmentConfiguration
{
    /// <summary>Stored reasons, tolerating an empty or malformed value (the sweep rewrites it at the next evaluation).</summary>
    private static List<CommitmentTracker.Domain.Risk.RiskReason> ReadReasons(string json)
    {
        try
        {
            return string.IsNullOrWhiteSpace(json) || json[0] != '['
                ? []
                : JsonSerializer.Deserialize<List<CommitmentTracker.Domain.Risk.RiskReason>>(json, JsonSerializerOptions.Web) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

internal sealed class MilestoneConfiguration : IEntityTypeConfiguration<Milestone>
{
    public void Configure(EntityTypeBuilder<Milestone> builder)
    {
        builder.Property(m => m.Title).HasMaxLength(FieldLengths.Title);
        builder.Property(m => m.AssigneeId).HasMaxLength(FieldLengths.UserId);
        builder.Property(m => m.StatusReason).HasMaxLength(FieldLengths.Text);
        builder.Property(m => m.LastUpdatedBy).HasMaxLength(FieldLengths.UserId);
        builder.OwnsOne(m => m.Acceptance, acc =>
        {
            acc.Property(a => a.ConfirmedBy).HasColumnName("acceptance_by").HasMaxLength(FieldLengths.Name);
            acc.Property(a => a.ConfirmedOn).HasColumnName("acceptance_on");
            acc.Property(a => a.Channel).HasColumnName("acceptance_channel");
        });
        builder.HasOne<AppUser>().WithMany().HasForeignKey(m => m.AssigneeId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(m => m.Updates).WithOne().HasForeignKey(u => u.MilestoneId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(m => new { m.CommitmentId, m.Position });
        // The fulfilment queue: by assignee and status, by due date. The open milestones by expected date (forecast, else
        // plan), all and unassigned per department, and the stale ones are expression or partial indexes created in the
        // migration QueueAtScale: see FulfilmentService.
        builder.HasIndex(m => new { m.AssigneeId, m.Status, m.PlannedDate });
        builder.HasIndex(m => new { m.Status, m.PlannedDate });
        builder.HasXminVersion();
    }
}

internal sealed class MilestoneUpdateConfiguration : IEntityTypeConfiguration<MilestoneUpdate>
{
    public void Configure(EntityTypeBuilder<MilestoneUpdate> builder)
    {
        builder.Property(u => u.ByUserId).HasMaxLength(FieldLengths.UserId);
        builder.Property(u => u.Note).HasMaxLength(FieldLengths.Text);
        builder.HasIndex(u => new { u.MilestoneId, u.At });
    }
}

internal sealed class PromisedDateChangeConfiguration : IEntityTypeConfiguration<PromisedDateChange>
{
    public void Configure(EntityTypeBuilder<PromisedDateChange> builder)
    {
        builder.Property(h => h.AgreedWith).HasMaxLength(FieldLengths.Name);
        builder.Property(h => h.Reason).HasMaxLength(FieldLengths.Text);
        builder.Property(h => h.ByUserId).HasMaxLength(FieldLengths.UserId);
        builder.HasIndex(h => new { h.CommitmentId, h.At });
    }
}

internal sealed class LeadTimeConfiguration : IEntityTypeConfiguration<LeadTime>
{
    public void Configure(EntityTypeBuilder<LeadTime> builder)
    {
        builder.HasKey(l => l.Kind);
        builder.HasXminVersion();
    }
}

internal sealed class MilestoneTemplateConfiguration : IEntityTypeConfiguration<MilestoneTemplate>
{
    public void Configure(EntityTypeBuilder<MilestoneTemplate> builder)
    {
        builder.HasKey(t => t.Kind);
        // A template is read and written whole: its steps live in one jsonb column.
        builder.Property<List<MilestoneTemplateStep>>("_steps")
            .HasColumnName("steps")
            .HasColumnType("jsonb")
            .HasConversion(
                steps => JsonSerializer.Serialize(steps, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<MilestoneTemplateStep>>(json, JsonSerializerOptions.Web) ?? new List<MilestoneTemplateStep>(),
                new ValueComparer<List<MilestoneTemplateStep>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (h, s) => HashCode.Combine(h, s)),
                    v => v.ToList()));
        builder.Ignore(t => t.Steps);
        builder.HasXminVersion();
    }
}
