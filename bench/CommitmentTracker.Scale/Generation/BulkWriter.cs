using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace CommitmentTracker.Scale.Generation;

/// <summary>
/// Writes generated rows with Npgsql binary COPY, one open COPY per table (each on its own connection), so a deal's rows
/// go to every table in one pass. Foreign keys are dropped during the load (a child's COPY cannot see its parent's
/// uncommitted rows) and recreated afterwards by <see cref="LoadTuning"/>. Column lists name the schema's columns.
/// </summary>
internal sealed class BulkWriter : IAsyncDisposable
{
    /// <summary>The COPY column list of every table the generator loads.</summary>
    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>
    {
        ["\"AspNetUsers\""] = "id, display_name, team_id, department, is_active, user_name, normalized_user_name, email, normalized_email, email_confirmed, password_hash, security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count",
        ["\"AspNetUserRoles\""] = "user_id, role_id",
        ["teams"] = "id, name, manager_id",
        ["accounts"] = "id, name, industry, created_at",
        ["contacts"] = "id, account_id, name, role, email, phone, may_contact_their_manager",
        ["deals"] = "id, account_id, title, owner_id, expected_outcome, close_date, stage, stage_entered_at, purchase_order_reference, payment_reference, payment_date, lost_reason, lost_note, checklist_template_id, checklist_version, checklist_ack_contact, checklist_ack_at, checklist_ack_channel, created_at, value_amount, value_currency",
        ["commitments"] = "id, deal_id, direction, kind, description, owner_id, department, promised_date, original_promised_date, need_date, ack_contact, ack_at, ack_channel, status, completed_on, acceptance_by, acceptance_on, acceptance_channel, waived_reason, waived_by, waived_at, is_late_addition, is_aggressive, aggressive_approval, aggressive_reason, aggressive_decided_by, aggressive_decided_at, created_at, created_by, risk_evaluated_at, risk_level, risk_reasons, risk_since, risk_review_on, deal_owner_id",
        ["milestones"] = "id, commitment_id, position, title, assignee_id, planned_date, forecast_date, completed_on, status, status_reason, is_customer_acceptance, acceptance_by, acceptance_on, acceptance_channel, last_updated_at, last_updated_by, department",
        ["milestone_updates"] = "id, milestone_id, by_user_id, at, old_status, new_status, old_forecast, new_forecast, note",
        ["promised_date_changes"] = "id, commitment_id, old_date, new_date, agreed_with, agreed_at, reason, by_user_id, at",
        ["deal_checklist_items"] = "id, deal_id, position, title, guidance, required, answer, answered_by, answered_at",
        ["deal_stage_changes"] = "id, deal_id, \"from\", \"to\", by_user_id, at",
        ["shared_risks"] = "id, deal_id, risk_library_entry_id, title, response, shared_by, shared_at",
        ["touchpoints"] = "id, deal_id, kind, due_on, commitment_id, completed_at, completed_by, communication_entry_id, is_cancelled",
        ["technical_review"] = "id, deal_id, request, requested_by, requested_at, outcome, reviewer_id, comment, decided_at",
        ["communication_entries"] = "id, deal_id, commitment_id, channel, direction, people, summary, occurred_at, logged_by, logged_at, corrects_entry_id",
        ["recovery_plans"] = "id, commitment_id, deal_id, level, detected_at, opened_at, opened_by, forecast_date, need_date, buffer_absorbs_slip, manager_alerted_at, manager_acknowledged_by, manager_acknowledged_at, customer_told_communication_id, customer_told_at, offered_meanwhile, manager_contact, boss_contact_note, boss_contacted_at, solution_presented_at, solution_accepted, customer_forgave, compensation_approved_by, compensation_approved_at, root_cause, root_cause_department, lesson, resolved_at, compensation_budget, compensation_cost_to_us, compensation_estimated_loss, compensation_face_value, compensation_item, deal_owner_id",
        ["recovery_steps"] = "id, plan_id, kind, position, owner_id, due_at, done_at, notes, escalated_at, escalated_to",
        ["recovery_options"] = "id, plan_id, kind, description, reshuffle_with_commitment_id, added_at, is_chosen",
        ["alerts"] = "id, commitment_id, deal_id, recipient_id, level, title, reasons, detected_at, read_at, emailed_at, email_attempts, email_error, email_next_attempt_at",
        ["audit_entries"] = "deal_id, entity_type, entity_id, action, field, old_value, new_value, changed_by, changed_at",
    };

    /// <summary>The tables a deal's rows go to.</summary>
    public static readonly string[] DealTables =
    [
        "deals", "commitments", "milestones", "milestone_updates", "promised_date_changes", "deal_checklist_items", "deal_stage_changes",
        "shared_risks", "touchpoints", "technical_review", "communication_entries", "recovery_plans", "recovery_steps", "recovery_options",
        "alerts", "audit_entries",
    ];

    private readonly Dictionary<string, Table> _tables = [];

    private BulkWriter() { }

    public IReadOnlyDictionary<string, long> RowCounts => _tables.ToDictionary(t => t.Key.Trim('"'), t => t.Value.Rows);

    public static async Task<BulkWriter> OpenAsync(string connectionString, IEnumerable<string> tables, CancellationToken cancellationToken)
    {
        // Large socket buffers: fewer round trips per table; no pooling, the connections live for the load only.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, WriteBufferSize = 1 << 18, CommandTimeout = 0 };
        var writer = new BulkWriter();
        try
        {
            foreach (var table in tables)
            {
                var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using (var tune = new NpgsqlCommand("SET synchronous_commit = off", connection))
                    await tune.ExecuteNonQueryAsync(cancellationToken);
                var importer = await connection.BeginBinaryImportAsync($"COPY {table} ({Columns[table]}) FROM STDIN (FORMAT BINARY)", cancellationToken);
                writer._tables[table] = new Table(connection, importer);
            }
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
        return writer;
    }

    /// <summary>Commits every table's COPY; returns the rows written.</summary>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        long rows = 0;
        foreach (var table in _tables.Values)
        {
            await table.Importer.CompleteAsync(cancellationToken);
            rows += table.Rows;
        }
        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var table in _tables.Values)
        {
            await table.Importer.DisposeAsync();
            await table.Connection.DisposeAsync();
        }
        _tables.Clear();
    }

    // ---------- the organisation ----------

    public void User(UserRow u, string passwordHash, Rng rng)
    {
        var w = Start("\"AspNetUsers\"");
        w.Write(u.Id, NpgsqlDbType.Text);
        w.Write(u.DisplayName, NpgsqlDbType.Text);
        Uuid(w, u.TeamId);
        Text(w, u.Department?.ToString());
        w.Write(true, NpgsqlDbType.Boolean);
        w.Write(u.Email, NpgsqlDbType.Text);
        w.Write(u.Email.ToUpperInvariant(), NpgsqlDbType.Text);
        w.Write(u.Email, NpgsqlDbType.Text);
        w.Write(u.Email.ToUpperInvariant(), NpgsqlDbType.Text);
        w.Write(true, NpgsqlDbType.Boolean);
        w.Write(passwordHash, NpgsqlDbType.Text);
        w.Write(rng.NextGuid().ToString("N").ToUpperInvariant(), NpgsqlDbType.Text);
        w.Write(rng.NextGuid().ToString(), NpgsqlDbType.Text);
        w.Write(false, NpgsqlDbType.Boolean);
        w.Write(false, NpgsqlDbType.Boolean);
        w.Write(true, NpgsqlDbType.Boolean);
        w.Write(0, NpgsqlDbType.Integer);
    }

    public void UserRole(string userId, string roleId)
    {
        var w = Start("\"AspNetUserRoles\"");
        w.Write(userId, NpgsqlDbType.Text);
        w.Write(roleId, NpgsqlDbType.Text);
    }

    public void Team(Guid id, string name, string managerId)
    {
        var w = Start("teams");
        w.Write(id, NpgsqlDbType.Uuid);
        w.Write(name, NpgsqlDbType.Text);
        w.Write(managerId, NpgsqlDbType.Text);
    }

    public void Account(AccountRow a)
    {
        var w = Start("accounts");
        w.Write(a.Id, NpgsqlDbType.Uuid);
        w.Write(a.Name, NpgsqlDbType.Text);
        w.Write(a.Industry, NpgsqlDbType.Text);
        w.Write(a.CreatedAt, NpgsqlDbType.TimestampTz);
        foreach (var c in a.Contacts)
        {
            w = Start("contacts");
            w.Write(c.Id, NpgsqlDbType.Uuid);
            w.Write(c.AccountId, NpgsqlDbType.Uuid);
            w.Write(c.Name, NpgsqlDbType.Text);
            w.Write(c.Role.ToString(), NpgsqlDbType.Text);
            w.Write(c.Email, NpgsqlDbType.Text);
            Text(w, c.Phone);
            w.Write(c.MayContactTheirManager, NpgsqlDbType.Boolean);
        }
    }

    // ---------- a deal and everything on it ----------

    public void Deal(DealRow d)
    {
        var w = Start("deals");
        w.Write(d.Id, NpgsqlDbType.Uuid);
        w.Write(d.AccountId, NpgsqlDbType.Uuid);
        w.Write(d.Title, NpgsqlDbType.Text);
        w.Write(d.OwnerId, NpgsqlDbType.Text);
        w.Write(d.ExpectedOutcome, NpgsqlDbType.Text);
        w.Write(d.CloseDate, NpgsqlDbType.Date);
        w.Write(Names.Of(d.Stage), NpgsqlDbType.Text);
        w.Write(d.StageEnteredAt, NpgsqlDbType.TimestampTz);
        Text(w, d.PurchaseOrderReference);
        Text(w, d.PaymentReference);
        Date(w, d.PaymentDate);
        Text(w, d.LostReason?.ToString());
        Text(w, d.LostNote);
        w.Write(d.ChecklistTemplateId, NpgsqlDbType.Uuid);
        w.Write(d.ChecklistVersion, NpgsqlDbType.Integer);
        Text(w, d.AckContact);
        Time(w, d.AckAt);
        Text(w, d.AckChannel is { } ackChannel ? Names.Of(ackChannel) : null);
        w.Write(d.CreatedAt, NpgsqlDbType.TimestampTz);
        w.Write(d.Value, NpgsqlDbType.Numeric);
        w.Write(d.Currency, NpgsqlDbType.Text);

        foreach (var c in d.Commitments)
            Commitment(c, d.OwnerId);
        foreach (var i in d.Checklist)
            ChecklistItem(i);
        foreach (var s in d.StageChanges)
        {
            w = Start("deal_stage_changes");
            w.Write(s.Id, NpgsqlDbType.Uuid);
            w.Write(s.DealId, NpgsqlDbType.Uuid);
            Text(w, s.From is { } from ? Names.Of(from) : null);
            w.Write(Names.Of(s.To), NpgsqlDbType.Text);
            w.Write(s.ByUserId, NpgsqlDbType.Text);
            w.Write(s.At, NpgsqlDbType.TimestampTz);
        }
        foreach (var r in d.SharedRisks)
        {
            w = Start("shared_risks");
            w.Write(r.Id, NpgsqlDbType.Uuid);
            w.Write(r.DealId, NpgsqlDbType.Uuid);
            w.Write(r.RiskLibraryEntryId, NpgsqlDbType.Uuid);
            w.Write(r.Title, NpgsqlDbType.Text);
            w.Write(r.Response, NpgsqlDbType.Text);
            w.Write(r.SharedBy, NpgsqlDbType.Text);
            w.Write(r.SharedAt, NpgsqlDbType.TimestampTz);
        }
        foreach (var t in d.Touchpoints)
        {
            w = Start("touchpoints");
            w.Write(t.Id, NpgsqlDbType.Uuid);
            w.Write(t.DealId, NpgsqlDbType.Uuid);
            w.Write(Names.Of(t.Kind), NpgsqlDbType.Text);
            w.Write(t.DueOn, NpgsqlDbType.Date);
            Uuid(w, t.CommitmentId);
            Time(w, t.CompletedAt);
            Text(w, t.CompletedBy);
            Uuid(w, t.CommunicationEntryId);
            w.Write(t.IsCancelled, NpgsqlDbType.Boolean);
        }
        foreach (var r in d.TechnicalReviews)
        {
            w = Start("technical_review");
            w.Write(r.Id, NpgsqlDbType.Uuid);
            w.Write(r.DealId, NpgsqlDbType.Uuid);
            w.Write(r.Request, NpgsqlDbType.Text);
            w.Write(r.RequestedBy, NpgsqlDbType.Text);
            w.Write(r.RequestedAt, NpgsqlDbType.TimestampTz);
            w.Write(r.Outcome.ToString(), NpgsqlDbType.Text);
            Text(w, r.ReviewerId);
            Text(w, r.Comment);
            Time(w, r.DecidedAt);
        }
        foreach (var e in d.Communications)
        {
            w = Start("communication_entries");
            w.Write(e.Id, NpgsqlDbType.Uuid);
            w.Write(e.DealId, NpgsqlDbType.Uuid);
            Uuid(w, e.CommitmentId);
            w.Write(Names.Of(e.Channel), NpgsqlDbType.Text);
            w.Write(e.Direction.ToString(), NpgsqlDbType.Text);
            w.Write(e.People, NpgsqlDbType.Text);
            w.Write(e.Summary, NpgsqlDbType.Text);
            w.Write(e.OccurredAt, NpgsqlDbType.TimestampTz);
            w.Write(e.LoggedBy, NpgsqlDbType.Text);
            w.Write(e.LoggedAt, NpgsqlDbType.TimestampTz);
            Uuid(w, e.CorrectsEntryId);
        }
        foreach (var p in d.Plans)
            Plan(p);
        foreach (var a in d.Alerts)
        {
            w = Start("alerts");
            w.Write(a.Id, NpgsqlDbType.Uuid);
            w.Write(a.CommitmentId, NpgsqlDbType.Uuid);
            w.Write(a.DealId, NpgsqlDbType.Uuid);
            w.Write(a.RecipientId, NpgsqlDbType.Text);
            w.Write(Names.Of(a.Level), NpgsqlDbType.Text);
            w.Write(a.Title, NpgsqlDbType.Text);
            w.Write(a.Reasons, NpgsqlDbType.Text);
            w.Write(a.DetectedAt, NpgsqlDbType.TimestampTz);
            Time(w, a.ReadAt);
            Time(w, a.EmailedAt);
            w.Write(a.EmailAttempts, NpgsqlDbType.Integer);
            w.WriteNull();
            w.WriteNull();
        }
        foreach (var a in d.Audit)
        {
            w = Start("audit_entries");
            Uuid(w, a.DealId);
            w.Write(a.EntityType, NpgsqlDbType.Text);
            w.Write(a.EntityId, NpgsqlDbType.Uuid);
            w.Write(a.Action, NpgsqlDbType.Text);
            Text(w, a.Field);
            Text(w, a.OldValue);
            Text(w, a.NewValue);
            w.Write(a.ChangedBy, NpgsqlDbType.Text);
            w.Write(a.ChangedAt, NpgsqlDbType.TimestampTz);
        }
    }

    private void Commitment(CommitmentRow c, string dealOwnerId)
    {
        var w = Start("commitments");
        w.Write(c.Id, NpgsqlDbType.Uuid);
        w.Write(c.DealId, NpgsqlDbType.Uuid);
        w.Write(Names.Of(c.Direction), NpgsqlDbType.Text);
        w.Write(Names.Of(c.Kind), NpgsqlDbType.Text);
        w.Write(c.Description, NpgsqlDbType.Text);
        w.Write(c.OwnerId, NpgsqlDbType.Text);
        w.Write(Names.Of(c.Department), NpgsqlDbType.Text);
        w.Write(c.PromisedDate, NpgsqlDbType.Date);
        w.Write(c.OriginalPromisedDate, NpgsqlDbType.Date);
        Date(w, c.NeedDate);
        Text(w, c.AckContact);
        Time(w, c.AckAt);
        Text(w, c.AckChannel is { } ackChannel ? Names.Of(ackChannel) : null);
        w.Write(Names.Of(c.Status), NpgsqlDbType.Text);
        Date(w, c.CompletedOn);
        Text(w, c.AcceptanceBy);
        Date(w, c.AcceptanceOn);
        Text(w, c.AcceptanceChannel is { } acceptanceChannel ? Names.Of(acceptanceChannel) : null);
        Text(w, c.WaivedReason);
        Text(w, c.WaivedBy);
        Time(w, c.WaivedAt);
        w.Write(c.IsLateAddition, NpgsqlDbType.Boolean);
        w.Write(c.IsAggressive, NpgsqlDbType.Boolean);
        w.Write(c.AggressiveApproval.ToString(), NpgsqlDbType.Text);
        Text(w, c.AggressiveReason);
        Text(w, c.AggressiveDecidedBy);
        Time(w, c.AggressiveDecidedAt);
        w.Write(c.CreatedAt, NpgsqlDbType.TimestampTz);
        w.Write(c.CreatedBy, NpgsqlDbType.Text);
        Time(w, c.RiskEvaluatedAt);
        w.Write(Names.Of(c.RiskLevel), NpgsqlDbType.Text);
        // The same JSON the app's value converter writes (CommitmentConfiguration): JsonSerializerOptions.Web.
        w.Write(c.RiskReasons.Count == 0 ? "[]" : JsonSerializer.Serialize(c.RiskReasons, JsonSerializerOptions.Web), NpgsqlDbType.Jsonb);
        Time(w, c.RiskSince);
        Date(w, c.RiskReviewOn);
        w.Write(dealOwnerId, NpgsqlDbType.Text); // a promise carries its deal's owner

        foreach (var m in c.Milestones)
        {
            w = Start("milestones");
            w.Write(m.Id, NpgsqlDbType.Uuid);
            w.Write(m.CommitmentId, NpgsqlDbType.Uuid);
            w.Write(m.Position, NpgsqlDbType.Integer);
            w.Write(m.Title, NpgsqlDbType.Text);
            Text(w, m.AssigneeId);
            w.Write(m.PlannedDate, NpgsqlDbType.Date);
            Date(w, m.ForecastDate);
            Date(w, m.CompletedOn);
            w.Write(Names.Of(m.Status), NpgsqlDbType.Text);
            Text(w, m.StatusReason);
            w.Write(m.IsCustomerAcceptance, NpgsqlDbType.Boolean);
            Text(w, m.AcceptanceBy);
            Date(w, m.AcceptanceOn);
            Text(w, m.AcceptanceChannel is { } channel ? Names.Of(channel) : null);
            Time(w, m.LastUpdatedAt);
            Text(w, m.LastUpdatedBy);
            w.Write(Names.Of(c.Department), NpgsqlDbType.Text); // a milestone carries its promise's department
            foreach (var u in m.Updates)
            {
                w = Start("milestone_updates");
                w.Write(u.Id, NpgsqlDbType.Uuid);
                w.Write(u.MilestoneId, NpgsqlDbType.Uuid);
                w.Write(u.ByUserId, NpgsqlDbType.Text);
                w.Write(u.At, NpgsqlDbType.TimestampTz);
                w.Write(Names.Of(u.OldStatus), NpgsqlDbType.Text);
                w.Write(Names.Of(u.NewStatus), NpgsqlDbType.Text);
                Date(w, u.OldForecast);
                Date(w, u.NewForecast);
                Text(w, u.Note);
            }
        }
        foreach (var h in c.DateChanges)
        {
            w = Start("promised_date_changes");
            w.Write(h.Id, NpgsqlDbType.Uuid);
            w.Write(h.CommitmentId, NpgsqlDbType.Uuid);
            w.Write(h.OldDate, NpgsqlDbType.Date);
            w.Write(h.NewDate, NpgsqlDbType.Date);
            w.Write(h.AgreedWith, NpgsqlDbType.Text);
            w.Write(h.AgreedAt, NpgsqlDbType.TimestampTz);
            w.Write(h.Reason, NpgsqlDbType.Text);
            w.Write(h.ByUserId, NpgsqlDbType.Text);
            w.Write(h.At, NpgsqlDbType.TimestampTz);
        }
    }

    private void ChecklistItem(ChecklistItemRow i)
    {
        var w = Start("deal_checklist_items");
        w.Write(i.Id, NpgsqlDbType.Uuid);
        w.Write(i.DealId, NpgsqlDbType.Uuid);
        w.Write(i.Position, NpgsqlDbType.Integer);
        w.Write(i.Title, NpgsqlDbType.Text);
        w.Write(i.Guidance, NpgsqlDbType.Text);
        w.Write(i.Required, NpgsqlDbType.Boolean);
        Text(w, i.Answer);
        Text(w, i.AnsweredBy);
        Time(w, i.AnsweredAt);
    }

    private void Plan(PlanRow p)
    {
        var w = Start("recovery_plans");
        w.Write(p.Id, NpgsqlDbType.Uuid);
        w.Write(p.CommitmentId, NpgsqlDbType.Uuid);
        w.Write(p.DealId, NpgsqlDbType.Uuid);
        w.Write(Names.Of(p.Level), NpgsqlDbType.Text);
        w.Write(p.DetectedAt, NpgsqlDbType.TimestampTz);
        w.Write(p.OpenedAt, NpgsqlDbType.TimestampTz);
        w.WriteNull(); // opened_by: plans open themselves at detection
        Date(w, p.ForecastDate);
        Date(w, p.NeedDate);
        Bool(w, p.BufferAbsorbsSlip);
        w.Write(p.ManagerAlertedAt, NpgsqlDbType.TimestampTz);
        Text(w, p.ManagerAcknowledgedBy);
        Time(w, p.ManagerAcknowledgedAt);
        Uuid(w, p.CustomerToldCommunicationId);
        Time(w, p.CustomerToldAt);
        Text(w, p.OfferedMeanwhile);
        Text(w, p.ManagerContact);
        Text(w, p.BossContactNote);
        Time(w, p.BossContactedAt);
        Time(w, p.SolutionPresentedAt);
        Bool(w, p.SolutionAccepted);
        Bool(w, p.CustomerForgave);
        Text(w, p.CompensationApprovedBy);
        Time(w, p.CompensationApprovedAt);
        Text(w, p.RootCause?.ToString());
        Text(w, p.RootCauseDepartment is { } department ? Names.Of(department) : null);
        Text(w, p.Lesson);
        Time(w, p.ResolvedAt);
        Money(w, p.CompensationBudget);
        Money(w, p.CompensationCostToUs);
        Money(w, p.CompensationEstimatedLoss);
        Money(w, p.CompensationFaceValue);
        Text(w, p.CompensationItem);
        w.Write(p.DealOwnerId, NpgsqlDbType.Text);
        foreach (var s in p.Steps)
        {
            w = Start("recovery_steps");
            w.Write(s.Id, NpgsqlDbType.Uuid);
            w.Write(s.PlanId, NpgsqlDbType.Uuid);
            w.Write(s.Kind.ToString(), NpgsqlDbType.Text);
            w.Write(s.Position, NpgsqlDbType.Integer);
            w.Write(s.OwnerId, NpgsqlDbType.Text);
            w.Write(s.DueAt, NpgsqlDbType.TimestampTz);
            Time(w, s.DoneAt);
            Text(w, s.Notes);
            Time(w, s.EscalatedAt);
            Text(w, s.EscalatedTo);
        }
        foreach (var o in p.Options)
        {
            w = Start("recovery_options");
            w.Write(o.Id, NpgsqlDbType.Uuid);
            w.Write(o.PlanId, NpgsqlDbType.Uuid);
            w.Write(o.Kind.ToString(), NpgsqlDbType.Text);
            w.Write(o.Description, NpgsqlDbType.Text);
            w.WriteNull();
            w.Write(o.AddedAt, NpgsqlDbType.TimestampTz);
            w.Write(o.IsChosen, NpgsqlDbType.Boolean);
        }
    }

    private NpgsqlBinaryImporter Start(string table)
    {
        var t = _tables[table];
        t.Importer.StartRow();
        t.Rows++;
        return t.Importer;
    }

    private static void Text(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null)
            w.WriteNull();
        else
            w.Write(value, NpgsqlDbType.Text);
    }

    private static void Uuid(NpgsqlBinaryImporter w, Guid? value)
    {
        if (value is { } v)
            w.Write(v, NpgsqlDbType.Uuid);
        else
            w.WriteNull();
    }

    private static void Date(NpgsqlBinaryImporter w, DateOnly? value)
    {
        if (value is { } v)
            w.Write(v, NpgsqlDbType.Date);
        else
            w.WriteNull();
    }

    private static void Time(NpgsqlBinaryImporter w, DateTimeOffset? value)
    {
        if (value is { } v)
            w.Write(v, NpgsqlDbType.TimestampTz);
        else
            w.WriteNull();
    }

    private static void Bool(NpgsqlBinaryImporter w, bool? value)
    {
        if (value is { } v)
            w.Write(v, NpgsqlDbType.Boolean);
        else
            w.WriteNull();
    }

    private static void Money(NpgsqlBinaryImporter w, decimal? value)
    {
        if (value is { } v)
            w.Write(v, NpgsqlDbType.Numeric);
        else
            w.WriteNull();
    }

    private sealed class Table(NpgsqlConnection connection, NpgsqlBinaryImporter importer)
    {
        public NpgsqlConnection Connection { get; } = connection;
        public NpgsqlBinaryImporter Importer { get; } = importer;
        public long Rows { get; set; }
    }
}

/// <summary>Enum names as stored (the app stores enums by their C# name), computed once per type.</summary>
internal static class Names
{
    // Every domain enum is int-based and numbered from 0 without gaps.
    public static string Of<T>(T value) where T : struct, Enum => Cache<T>.Names[System.Runtime.CompilerServices.Unsafe.As<T, int>(ref value)];

    private static class Cache<T> where T : struct, Enum
    {
        public static readonly string[] Names = Enum.GetNames<T>();
    }
}
