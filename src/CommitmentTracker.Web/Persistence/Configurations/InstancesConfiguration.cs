using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class RiskSweepRunConfiguration : IEntityTypeConfiguration<RiskSweepRun>
{
    public void Configure(EntityTypeBuilder<RiskSweepRun> builder)
    {
        builder.ToTable("risk_sweep_runs");
        builder.Property(r => r.Instance).HasMaxLength(200);
        // "When did a sweep last run": the skip check and the health endpoint.
        builder.HasIndex(r => r.StartedAt);
    }
}

/// <summary>The sign-in cookie keys every instance shares (ASP.NET Core data protection's own entity).</summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("data_protection_keys");
        builder.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
