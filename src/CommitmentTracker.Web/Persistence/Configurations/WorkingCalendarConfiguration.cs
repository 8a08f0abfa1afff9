using System.Text.Json;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class WorkingCalendarConfiguration : IEntityTypeConfiguration<WorkingCalendar>
{
    public void Configure(EntityTypeBuilder<WorkingCalendar> builder)
    {
        builder.HasKey(c => c.TeamId);
        builder.HasOne<Team>().WithOne().HasForeignKey<WorkingCalendar>(c => c.TeamId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.WorkingDayBits).HasColumnName("working_days");
        builder.Property(c => c.TimeZoneId).HasMaxLength(64);
        // A calendar is read and written whole: its holidays live in one jsonb column.
        builder.Property<List<Holiday>>("_holidays")
            .HasColumnName("holidays")
            .HasColumnType("jsonb")
            .HasConversion(
                holidays => JsonSerializer.Serialize(holidays, JsonSerializerOptions.Web),
                json => JsonSerializer.Deserialize<List<Holiday>>(json, JsonSerializerOptions.Web) ?? new List<Holiday>(),
                new ValueComparer<List<Holiday>>(
                    (a, b) => a!.SequenceEqual(b!),
                    v => v.Aggregate(0, (h, d) => HashCode.Combine(h, d)),
                    v => v.ToList()));
        builder.Ignore(c => c.Holidays);
        builder.Ignore(c => c.WorkingDays);
        builder.Ignore(c => c.TimeZone);
        builder.Ignore(c => c.WorkingDayLength);
        builder.HasXminVersion();
    }
}
