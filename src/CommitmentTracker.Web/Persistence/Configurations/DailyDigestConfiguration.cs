using CommitmentTracker.Domain;
using CommitmentTracker.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class DailyDigestConfiguration : IEntityTypeConfiguration<DailyDigest>
{
    public void Configure(EntityTypeBuilder<DailyDigest> builder)
    {
        builder.HasKey(d => new { d.ManagerId, d.Date });
        builder.Property(d => d.ManagerId).HasMaxLength(FieldLengths.UserId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(d => d.ManagerId).OnDelete(DeleteBehavior.Cascade);
    }
}
