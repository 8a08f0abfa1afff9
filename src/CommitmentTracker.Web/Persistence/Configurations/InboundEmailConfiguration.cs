using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class InboundEmailConfiguration : IEntityTypeConfiguration<InboundEmail>
{
    public void Configure(EntityTypeBuilder<InboundEmail> builder)
    {
        builder.ToTable("inbound_emails");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.MessageId).HasMaxLength(500);
        builder.Property(e => e.FromAddress).HasMaxLength(FieldLengths.Name);
        builder.Property(e => e.FromName).HasMaxLength(FieldLengths.Name);
        builder.Property(e => e.Recipients).HasMaxLength(FieldLengths.Text);
        builder.Property(e => e.Subject).HasMaxLength(FieldLengths.Title);
        builder.Property(e => e.TextBody).HasMaxLength(InboundEmail.MaxTextLength + 100);
        builder.Property(e => e.InboxUserId).HasMaxLength(FieldLengths.UserId);
        builder.Property(e => e.HandledBy).HasMaxLength(FieldLengths.UserId);
        // Listed only (name, size, type), as one JSON column: nothing queries them.
        builder.OwnsMany(e => e.Attachments, attachment =>
        {
            attachment.ToJson("attachments");
            attachment.Property(a => a.Name).HasMaxLength(FieldLengths.Name);
            attachment.Property(a => a.ContentType).HasMaxLength(FieldLengths.ShortText);
        });
        builder.Navigation(e => e.Attachments).HasField("_attachments");
        builder.HasOne<AppUser>().WithMany().HasForeignKey(e => e.InboxUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Deal>().WithMany().HasForeignKey(e => e.DealId).OnDelete(DeleteBehavior.Restrict);
        // The inbox page: a user's waiting mail, newest first, a page at a time; and its count for the menu badge.
        builder.HasIndex(e => new { e.InboxUserId, e.ReceivedAt }).HasFilter("status = 'Inbox'");
        builder.HasIndex(e => e.MessageId);
        builder.HasXminVersion();
    }
}
