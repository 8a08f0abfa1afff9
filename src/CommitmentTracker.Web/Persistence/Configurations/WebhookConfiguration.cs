using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.DeliveryRecords;
using CommitmentTracker.Domain.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class WebhookConfiguration : IEntityTypeConfiguration<Webhook>
{
    public void Configure(EntityTypeBuilder<Webhook> builder)
    {
        builder.ToTable("webhooks");
        builder.HasKey(h => h.Id);
        builder.Property(h => h.Name).HasMaxLength(FieldLengths.Name).IsRequired();
        builder.Property(h => h.Url).HasMaxLength(Webhook.UrlLength).IsRequired();
        builder.Property(h => h.Secret).HasMaxLength(100).IsRequired();
        builder.Property(h => h.CreatedBy).HasMaxLength(FieldLengths.UserId).IsRequired();
        builder.Ignore(h => h.Events);
        builder.Ignore(h => h.SecretHint);
        // The events as names separated by commas: a handful, read with the hook.
        builder.Property<List<WebhookEvent>>("_events").HasColumnName("events").HasMaxLength(400).IsRequired()
            .HasConversion(
                v => string.Join(',', v),
                s => s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<WebhookEvent>).ToList(),
                new ValueComparer<List<WebhookEvent>>((a, b) => a!.SequenceEqual(b!), v => v.Aggregate(0, (h, e) => HashCode.Combine(h, e)), v => v.ToList()));
        builder.HasXminVersion();
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.EventType).HasMaxLength(40).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.Body).HasColumnType("text").IsRequired();
        builder.Property(d => d.LastError).HasMaxLength(FieldLengths.Text);
        builder.HasOne<Webhook>().WithMany().HasForeignKey(d => d.WebhookId).OnDelete(DeleteBehavior.Cascade);
        // The dispatcher's queue, and a hook's recent deliveries on the admin page.
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("status = 'Pending'");
        builder.HasIndex(d => new { d.WebhookId, d.CreatedAt });
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> builder)
    {
        builder.ToTable("webhook_attempts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.ResponseBody).HasMaxLength(WebhookAttempt.ResponseBodyLength);
        builder.Property(a => a.Error).HasMaxLength(FieldLengths.Text);
        builder.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(a => new { a.DeliveryId, a.Number });
    }
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> builder)
    {
        builder.ToTable("calendar_feeds");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.UserId).HasMaxLength(FieldLengths.UserId).IsRequired();
        builder.Property(f => f.TokenHash).HasMaxLength(ShareToken.HashLength).IsRequired();
        // The feed's lookup: one index probe by the presented token's hash.
        builder.HasIndex(f => f.TokenHash).IsUnique();
        // One address per user and account (and one of their own, account null).
        builder.HasIndex(f => new { f.UserId, f.AccountId }).IsUnique().AreNullsDistinct(false);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Account>().WithMany().HasForeignKey(f => f.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
