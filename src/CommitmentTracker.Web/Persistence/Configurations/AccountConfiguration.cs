using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Teams;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CommitmentTracker.Web.Persistence.Configurations;

internal sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.Property(a => a.Name).HasMaxLength(FieldLengths.Name);
        builder.Property(a => a.Industry).HasMaxLength(FieldLengths.ShortText);
        builder.HasIndex(a => a.Name);
        // Search by any part of the name (accounts list, top-bar search): trigrams, so ILIKE '%part%' is an index lookup.
        builder.HasIndex(a => a.Name, "ix_accounts_name_trgm").HasDatabaseName("ix_accounts_name_trgm").HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.HasIndex(a => a.Industry);
        builder.HasMany(a => a.Contacts).WithOne().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasXminVersion();
    }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(FieldLengths.Name);
        builder.Property(c => c.Email).HasMaxLength(FieldLengths.Name);
        builder.Property(c => c.Phone).HasMaxLength(FieldLengths.ShortText);
        builder.HasIndex(c => new { c.AccountId, c.Name }).IsUnique();
        builder.HasXminVersion();
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> builder)
    {
        builder.Property(t => t.Name).HasMaxLength(FieldLengths.Name);
        builder.Property(t => t.ManagerId).HasMaxLength(FieldLengths.UserId);
        builder.HasIndex(t => t.Name).IsUnique();
        builder.HasIndex(t => t.ManagerId);
        builder.HasOne<AppUser>().WithMany().HasForeignKey(t => t.ManagerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasXminVersion();
    }
}
