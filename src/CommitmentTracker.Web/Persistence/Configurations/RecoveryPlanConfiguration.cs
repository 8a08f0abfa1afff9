using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class RecoveryPlanConfiguration : IEntityTypeConfiguration<RecoveryPlan>
{
    /// <summary>The shadow column holding the deal's owner (see <see cref="Configure"/>).</summary>
    public const string DealOwnerId = "DealOwnerId";

    public void Configure(EntityTypeBuilder<RecoveryPlan> builder)
    {
        builder.ToTable("recovery_plans");
        builder.Property(p => p.OpenedBy).HasMaxLength(FieldLengths.UserId);
        builder.Property(p => p.ManagerAcknowledgedBy).HasMaxLength(FieldLengths.UserId);
        builder.Property(p => p.OfferedMeanwhile).HasMaxLength(FieldLengths.Text);
        builder.Property(p => p.ManagerContact).HasMaxLength(FieldLengths.Text);
        builder.Property(p => p.BossContactNote).HasMaxLength(FieldLengths.Text);
        builder.Property(p => p.CompensationApprovedBy).HasMaxLength(FieldLengths.UserId);
        builder.Property(p => p.Lesson).HasMaxLength(FieldLengths.Text);
        builder.ComplexProperty(p => p.Compensation, compensation =>
        {
            compensation.Property(c => c.Item).HasColumnName("compensation_item").HasMaxLength(FieldLengths.Title);
            compensation.Property(c => c.FaceValue).HasColumnName("compensation_face_value").HasPrecision(18, 2);
            compensation.Property(c => c.CostToUs).HasColumnName("compensation_cost_to_us").HasPrecision(18, 2);
            compensation.Property(c => c.EstimatedLoss).HasColumnName("compensation_estimated_loss").HasPrecision(18, 2);
            compensation.Property(c => c.Budget).HasColumnName("compensation_budget").HasPrecision(18, 2);
        });

        // Worked out from the stored times, never stored themselves.
        builder.Ignore(p => p.ChosenOption);
        builder.Ignore(p => p.NextStep);
        builder.Ignore(p => p.IsClosed);
        builder.Ignore(p => p.CompensationAwaitsApproval);
        builder.Ignore(p => p.DetectionToManagerAlerted);
        builder.Ignore(p => p.DetectionToCustomerTold);
        builder.Ignore(p => p.DetectionToResolved);

        builder.HasOne<Commitment>().WithMany().HasForeignKey(p => p.CommitmentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Steps).WithOne().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(p => p.Options).WithOne().HasForeignKey(o => o.PlanId).OnDelete(DeleteBehavior.Cascade);

        // A promise's plans, newest first; at most one open plan per promise (a plan opens once per rise).
        builder.HasIndex(p => new { p.CommitmentId, p.DetectedAt });
        builder.HasIndex(p => p.CommitmentId).IsUnique().HasFilter("resolved_at IS NULL").HasDatabaseName(ConcurrencyExtensions.OpenRecoveryPlanIndex);
        // The metrics read closed plans by root cause and time.
        builder.HasIndex(p => new { p.RootCause, p.ResolvedAt });
        // A deal's plans (the deal page).
        builder.HasIndex(p => new { p.DealId, p.ResolvedAt });
        // A team's plans (the dashboard's insights) start from its members: the deal's owner, copied in by a trigger when
        // the plan is stored (a deal never changes owner), never written by the app.
        builder.Property<string>(DealOwnerId).HasMaxLength(FieldLengths.UserId).ValueGeneratedOnAdd()
            .Metadata.SetBeforeSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Ignore);
        builder.HasIndex(DealOwnerId, nameof(RecoveryPlan.ResolvedAt));
        builder.HasXminVersion();
    }
}

internal sealed class RecoveryStepConfiguration : IEntityTypeConfiguration<RecoveryStep>
{
    public void Configure(EntityTypeBuilder<RecoveryStep> builder)
    {
        builder.ToTable("recovery_steps");
        builder.Property(s => s.OwnerId).HasMaxLength(FieldLengths.UserId);
        builder.Property(s => s.Notes).HasMaxLength(FieldLengths.Text);
        builder.Property(s => s.EscalatedTo).HasMaxLength(FieldLengths.UserId);
        builder.Ignore(s => s.IsDone);
        builder.HasIndex(s => new { s.PlanId, s.Kind }).IsUnique();
        // The escalation sweep: open steps by due time.
        builder.HasIndex(s => s.DueAt).HasFilter("done_at IS NULL AND escalated_at IS NULL");
        builder.HasXminVersion();
    }
}

internal sealed class RecoveryOptionConfiguration : IEntityTypeConfiguration<RecoveryOption>
{
    public void Configure(EntityTypeBuilder<RecoveryOption> builder)
    {
        builder.ToTable("recovery_options");
        builder.Property(o => o.Description).HasMaxLength(FieldLengths.Text);
        builder.HasIndex(o => o.PlanId);
        builder.HasXminVersion();
    }
}
