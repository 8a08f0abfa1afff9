using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Teams;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CommitmentTracker.Web.Persistence;

/// <summary>The one database of the product: Identity and the domain model, on PostgreSQL.</summary>
public sealed partial class AppDbContext(DbContextOptions<AppDbContext> options) : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    /// <summary>Name of the shadow property mapped to PostgreSQL's xmin, the optimistic concurrency token.</summary>
    public const string Version = "RowVersion";

    /// <summary>The one data-protection application name of every instance: cookies protected by one are read by all.</summary>
    public const string DataProtectionApplicationName = "CommitmentTracker";

    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Deal> Deals => Set<Deal>();
    public DbSet<Commitment> Commitments => Set<Commitment>();
    public DbSet<Milestone> Milestones => Set<Milestone>();
    public DbSet<MilestoneUpdate> MilestoneUpdates => Set<MilestoneUpdate>();
    public DbSet<PromisedDateChange> PromisedDateChanges => Set<PromisedDateChange>();
    public DbSet<DealChecklistItem> DealChecklistItems => Set<DealChecklistItem>();
    public DbSet<Touchpoint> Touchpoints => Set<Touchpoint>();
    public DbSet<DealStageChange> DealStageChanges => Set<DealStageChange>();
    public DbSet<SharedRisk> SharedRisks => Set<SharedRisk>();
    public DbSet<ChecklistTemplate> ChecklistTemplates => Set<ChecklistTemplate>();
    public DbSet<CommunicationEntry> CommunicationEntries => Set<CommunicationEntry>();
    public DbSet<InboundEmail> InboundEmails => Set<InboundEmail>();
    public DbSet<RiskLibraryEntry> RiskLibrary => Set<RiskLibraryEntry>();
    public DbSet<LeadTime> LeadTimes => Set<LeadTime>();
    public DbSet<CommitmentTracker.Domain.Calendars.WorkingCalendar> WorkingCalendars => Set<CommitmentTracker.Domain.Calendars.WorkingCalendar>();
    public DbSet<MilestoneTemplate> MilestoneTemplates => Set<MilestoneTemplate>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<RiskSettingsRecord> RiskSettings => Set<RiskSettingsRecord>();
    public DbSet<Alert> Alerts => Set<Alert>();
    public DbSet<ForecastCurveRecord> ForecastCurves => Set<ForecastCurveRecord>();
    public DbSet<DailyDigest> DailyDigests => Set<DailyDigest>();
    public DbSet<RiskSweepRun> RiskSweepRuns => Set<RiskSweepRun>();

    /// <summary>The sign-in cookie keys, shared by every instance (see Program.cs: PersistKeysToDbContext).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<SignInFailure> SignInFailures => Set<SignInFailure>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<CommitmentTracker.Domain.Recovery.RecoveryPlan> RecoveryPlans => Set<CommitmentTracker.Domain.Recovery.RecoveryPlan>();
    public DbSet<CommitmentTracker.Domain.DeliveryRecords.SharedRecordLink> SharedRecordLinks => Set<CommitmentTracker.Domain.DeliveryRecords.SharedRecordLink>();
    public DbSet<CommitmentTracker.Domain.CustomerLinks.CustomerLink> CustomerLinks => Set<CommitmentTracker.Domain.CustomerLinks.CustomerLink>();
    public DbSet<CommitmentTracker.Domain.Integrations.Webhook> Webhooks => Set<CommitmentTracker.Domain.Integrations.Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();

    /// <summary>The deals the save in progress touches, announced once it is stored.</summary>
    internal List<Guid> ChangedDeals { get; set; } = [];

    /// <summary>Who the changes saved by this context are made by; recorded in the audit trail.</summary>
    public string ChangedBy { get; set; } = "system";

    /// <summary>When the changes are made (the injected clock of the operation); defaults to now.</summary>
    public DateTimeOffset? ChangedAt { get; set; }

    /// <summary>The time stamped on this save, at PostgreSQL's microsecond precision so a re-read value compares equal.</summary>
    internal DateTimeOffset SaveTime
    {
        get
        {
            var at = ChangedAt ?? DateTimeOffset.UtcNow;
            return at.AddTicks(-(at.Ticks % 10));
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Trigram indexes for searching by part of a name or text; a trusted extension, so the owner role creates it.
        builder.HasPostgresExtension("pg_trgm");
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        // The domain gives every object its id when it is made. Left "generated on add", EF would take a new
        // child found on a loaded aggregate (a promise, a milestone update, a stage change) for an existing row and UPDATE it.
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => e.ClrType.Assembly == typeof(DomainException).Assembly))
        {
            foreach (var key in entity.FindPrimaryKey()?.Properties.Where(p => p.ClrType == typeof(Guid)) ?? [])
                key.ValueGenerated = ValueGenerated.Never;
        }
        builder.Entity<AuditEntry>(audit =>
        {
            audit.Property(a => a.EntityType).HasMaxLength(FieldLengths.ShortText);
            audit.Property(a => a.Action).HasMaxLength(20);
            audit.Property(a => a.Field).HasMaxLength(FieldLengths.Name);
            audit.Property(a => a.OldValue).HasMaxLength(1000);
            audit.Property(a => a.NewValue).HasMaxLength(1000);
            audit.Property(a => a.ChangedBy).HasMaxLength(FieldLengths.UserId);
            audit.HasIndex(a => new { a.DealId, a.ChangedAt });
            audit.HasIndex(a => new { a.EntityId, a.ChangedAt });
        });
        builder.Entity<RiskSettingsRecord>(settings =>
        {
            settings.ToTable("risk_settings");
            settings.Property(x => x.Id).ValueGeneratedNever();
            settings.Property(x => x.ScheduleElapsedShare).HasPrecision(4, 3);
            settings.Property(x => x.ScheduleDoneShare).HasPrecision(4, 3);
            settings.Property(x => x.BrokenAccountsAlarmShare).HasPrecision(4, 3);
            settings.Property(x => x.ForecastMinimumProbability).HasPrecision(4, 3);
            settings.Property(x => x.MarketingSpend).HasPrecision(18, 2);
            settings.Ignore(x => x.CompensationBudget);
            settings.Property<uint>(Version).IsRowVersion();
        });
        builder.Entity<ForecastCurveRecord>(curve =>
        {
            curve.ToTable("forecast_curves");
            curve.HasKey(c => c.GroupKey);
            curve.Property(c => c.GroupKey).HasMaxLength(ForecastCurveRecord.KeyLength);
        });
        builder.Entity<Alert>(alert =>
        {
            alert.Property(a => a.Id).ValueGeneratedNever();
            alert.Property(a => a.RecipientId).HasMaxLength(FieldLengths.UserId);
            alert.Property(a => a.Title).HasMaxLength(FieldLengths.Text);
            alert.Property(a => a.Reasons).HasMaxLength(FieldLengths.Text);
            alert.Property(a => a.EmailError).HasMaxLength(FieldLengths.Text);
            alert.Property(a => a.TraceParent).HasMaxLength(64);
            alert.HasIndex(a => new { a.RecipientId, a.DetectedAt });
            // The mail dispatcher's queue.
            alert.HasIndex(a => a.DetectedAt).HasFilter("emailed_at IS NULL");
            alert.HasOne<Commitment>().WithMany().HasForeignKey(a => a.CommitmentId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AppUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(FieldLengths.Name);
            user.Property(u => u.TimeZone).HasMaxLength(64);
            user.HasIndex(u => u.TeamId);
        });
    }

    // What a save does besides storing (the audit trail, refusing edits of records, announcing changed deals, and what
    // features add, such as re-evaluating risk) is done by save interceptors: see PersistenceServiceCollectionExtensions.Configure.
    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Enums are stored by name: readable in SQL and safe against reordering.
        foreach (var enumType in typeof(DomainException).Assembly.GetTypes().Where(t => t.IsEnum))
            configurationBuilder.Properties(enumType).HaveConversion<string>().HaveMaxLength(40);
    }
}
