using System.Text.Json;
using Npgsql;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>
/// The floor of each page: the best plain SQL we could write for the same result, one round trip (one statement, or one
/// batch of statements), on the schema as the migrations define it (no extra index). It computes what the page shows on
/// navigation: the lists it renders and the figures, aggregated by PostgreSQL. It ends where the app's call ends: the rows
/// are read into memory. Each returns the same summary as <see cref="PageCalls"/>, so the report can check that both
/// computed the same thing. Where the floor knows more than the app's query, it is said in a comment: the statuses a milestone is
/// open in are listed (the status index can serve a list, not a NOT IN); team deals are found through the owner index.
/// </summary>
internal sealed class FloorQueries(NpgsqlDataSource db)
{
    /// <summary>The dashboard and its recovery insights for a manager's team, in one batch of two statements.</summary>
    public async Task<string> DashboardAsync(Guid teamId, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var windowStart = today.AddDays(-89);
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command("""
            WITH td AS MATERIALIZED (
                SELECT d.id, d.title, d.account_id, d.owner_id, d.stage, d.value_amount, d.value_currency, d.stage_entered_at
                FROM deals d WHERE d.owner_id = ANY (ARRAY(SELECT o.id FROM "AspNetUsers" o WHERE o.team_id = @team))),
            tc AS MATERIALIZED (
                SELECT c.id, c.deal_id, d.title, d.account_id, d.owner_id, d.stage, c.kind, c.department, c.description, c.status, c.risk_level,
                       c.promised_date, c.need_date, c.completed_on, c.risk_reasons, c.risk_since
                FROM td d CROSS JOIN LATERAL (SELECT * FROM commitments c WHERE c.deal_id = d.id AND c.direction = 'Ours' OFFSET 0) c),
            rec AS (
                SELECT id, account_id, owner_id, department, status, COALESCE(completed_on, promised_date) AS counts_on
                FROM tc
                WHERE (status IN ('Kept', 'KeptLate') AND completed_on >= @since AND completed_on <= @today)
                   OR (status IN ('Open', 'Broken') AND promised_date < @today AND promised_date >= @since AND stage <> 'Lost')),
            win AS (SELECT * FROM rec WHERE counts_on >= @window AND counts_on <= @today),
            risky AS (
                SELECT c.id, c.deal_id, c.title, a.id AS account_id, a.name AS account, u.id AS rep_id, u.display_name AS rep, c.kind, c.department,
                       c.description, c.risk_level, c.promised_date, c.need_date, c.risk_reasons, c.risk_since,
                       (SELECT max(COALESCE(m.forecast_date, m.planned_date)) FROM milestones m
                         WHERE m.commitment_id = c.id AND m.status IN ('NotStarted', 'InProgress', 'Blocked')) AS forecast,
                       (SELECT p.id FROM recovery_plans p WHERE p.commitment_id = c.id AND p.resolved_at IS NULL LIMIT 1) AS plan_id
                FROM tc c JOIN accounts a ON a.id = c.account_id JOIN "AspNetUsers" u ON u.id = c.owner_id
                WHERE c.risk_level IN ('Watch', 'AtRisk', 'Late') AND c.status IN ('Open', 'Broken') AND c.stage <> 'Lost')
            SELECT json_build_object(
                'atRisk', (SELECT COALESCE(json_agg(r ORDER BY CASE r.risk_level WHEN 'Late' THEN 0 WHEN 'AtRisk' THEN 1 ELSE 2 END,
                                                          r.promised_date, r.risk_since NULLS LAST, r.id), '[]') FROM risky r),
                'record', (SELECT json_build_object('kept', count(*) FILTER (WHERE status = 'Kept'), 'keptLate', count(*) FILTER (WHERE status = 'KeptLate'),
                                                    'broken', count(*) FILTER (WHERE status IN ('Open', 'Broken'))) FROM win),
                'byMonth', (SELECT json_agg(x ORDER BY x.month) FROM (
                               SELECT date_trunc('month', counts_on)::date AS month, count(*) FILTER (WHERE status = 'Kept') AS kept,
                                      count(*) FILTER (WHERE status = 'KeptLate') AS kept_late, count(*) FILTER (WHERE status IN ('Open', 'Broken')) AS broken
                               FROM rec WHERE counts_on >= @firstMonth GROUP BY 1) x),
                'byRep', (SELECT json_agg(x) FROM (
                               SELECT w.owner_id, u.display_name, count(*) FILTER (WHERE status = 'Kept') AS kept,
                                      count(*) FILTER (WHERE status = 'KeptLate') AS kept_late, count(*) FILTER (WHERE status IN ('Open', 'Broken')) AS broken
                               FROM win w JOIN "AspNetUsers" u ON u.id = w.owner_id GROUP BY w.owner_id, u.display_name) x),
                'byDepartment', (SELECT json_agg(x) FROM (
                               SELECT department, count(*) FILTER (WHERE status = 'KeptLate') AS kept_late, count(*) FILTER (WHERE status IN ('Open', 'Broken')) AS broken
                               FROM win WHERE status <> 'Kept' GROUP BY department) x),
                'approvals', (SELECT count(*) FROM commitments c JOIN td d ON d.id = c.deal_id
                              WHERE c.aggressive_approval = 'Pending' AND c.status IN ('Open', 'Broken') AND d.stage NOT IN ('Lost', 'Paid')),
                'verbal', (SELECT json_build_object('count', count(*), 'oldest', min(stage_entered_at),
                               'value', (SELECT json_agg(v) FROM (SELECT value_currency, sum(value_amount) AS amount FROM td WHERE stage = 'Verbal' GROUP BY 1) v))
                           FROM td WHERE stage = 'Verbal'),
                'activeAccounts', (SELECT count(*) FROM (SELECT account_id FROM td WHERE stage IN ('Verbal', 'Ordered', 'Delivered') UNION SELECT account_id FROM win) x),
                'brokenAccounts', (SELECT COALESCE(json_agg(json_build_object('id', a.id, 'name', a.name) ORDER BY a.name), '[]') FROM accounts a
                                   WHERE a.id IN (SELECT account_id FROM win WHERE status IN ('Open', 'Broken'))),
                'alarmShare', (SELECT broken_accounts_alarm_share FROM risk_settings LIMIT 1))
            """, ("team", teamId), ("today", today), ("since", windowStart < firstMonth ? windowStart : firstMonth), ("window", windowStart), ("firstMonth", firstMonth)));
        batch.BatchCommands.Add(Command("""
            WITH td AS (SELECT d.id, d.title, d.value_currency FROM deals d WHERE d.owner_id = ANY (ARRAY(SELECT o.id FROM "AspNetUsers" o WHERE o.team_id = @team))),
            pl AS (
                SELECT p.id, p.deal_id, d.title, c.description, c.status AS promise_status, d.value_currency AS currency, p.detected_at,
                       p.manager_alerted_at, p.customer_told_at, p.resolved_at, p.root_cause, p.root_cause_department, p.lesson,
                       p.compensation_item, p.compensation_face_value, p.compensation_cost_to_us, p.compensation_budget, p.compensation_approved_at,
                       p.resolved_at IS NULL AND EXISTS (SELECT 1 FROM recovery_steps s WHERE s.plan_id = p.id AND s.done_at IS NULL AND s.due_at < @now) AS overdue
                FROM recovery_plans p JOIN td d ON d.id = p.deal_id JOIN commitments c ON c.id = p.commitment_id
                WHERE p.resolved_at IS NULL OR p.resolved_at >= @windowStart),
            closed AS (SELECT * FROM pl WHERE resolved_at >= @windowStart AND root_cause IS NOT NULL),
            worked AS (SELECT * FROM pl WHERE resolved_at IS NULL UNION ALL SELECT * FROM closed)
            SELECT json_build_object(
                'closed', (SELECT count(*) FROM closed),
                'open', (SELECT count(*) FROM pl WHERE resolved_at IS NULL),
                'openOverdue', (SELECT count(*) FROM pl WHERE resolved_at IS NULL AND overdue),
                'byRootCause', (SELECT json_agg(x ORDER BY x.n DESC, x.root_cause) FROM (
                    SELECT root_cause, count(*) AS n, count(*) FILTER (WHERE promise_status NOT IN ('Broken', 'KeptLate')) AS recovered,
                           count(*) FILTER (WHERE promise_status IN ('Broken', 'KeptLate')) AS broken FROM closed GROUP BY 1) x),
                'byDepartment', (SELECT json_agg(x) FROM (
                    SELECT root_cause_department, count(*) FILTER (WHERE promise_status NOT IN ('Broken', 'KeptLate')) AS recovered,
                           count(*) FILTER (WHERE promise_status IN ('Broken', 'KeptLate')) AS broken FROM closed GROUP BY 1) x),
                'compensation', (SELECT json_agg(x) FROM (
                    SELECT currency, count(*) AS plans,
                           sum(compensation_cost_to_us) FILTER (WHERE compensation_cost_to_us <= compensation_budget OR compensation_approved_at IS NOT NULL) AS spent,
                           sum(compensation_budget) AS budget, sum(compensation_face_value) AS face,
                           count(*) FILTER (WHERE compensation_cost_to_us > compensation_budget) AS above,
                           count(*) FILTER (WHERE compensation_cost_to_us > compensation_budget AND compensation_approved_at IS NOT NULL) AS above_approved
                    FROM worked WHERE compensation_item IS NOT NULL GROUP BY currency) x),
                'toManager', (SELECT json_build_object('n', count(*), 'avg', avg(s), 'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY s))
                              FROM (SELECT greatest(extract(epoch FROM manager_alerted_at - detected_at), 0) AS s FROM worked) x),
                'toCustomer', (SELECT json_build_object('n', count(*), 'avg', avg(s), 'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY s))
                              FROM (SELECT greatest(extract(epoch FROM customer_told_at - detected_at), 0) AS s FROM worked WHERE customer_told_at IS NOT NULL) x),
                'toResolved', (SELECT json_build_object('n', count(*), 'avg', avg(s), 'median', percentile_cont(0.5) WITHIN GROUP (ORDER BY s))
                              FROM (SELECT greatest(extract(epoch FROM resolved_at - detected_at), 0) AS s FROM closed) x),
                'lessons', (SELECT COALESCE(json_agg(json_build_object('plan', id, 'closedAt', resolved_at, 'cause', root_cause, 'department', root_cause_department,
                                'lesson', lesson, 'deal', deal_id, 'title', title, 'promise', description, 'status', promise_status) ORDER BY resolved_at DESC, id), '[]')
                            FROM closed))
            """, ("team", teamId), ("now", now), ("windowStart", now.AddDays(-365))));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        using var dashboard = JsonDocument.Parse(reader.GetString(0));
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        using var insights = JsonDocument.Parse(reader.GetString(0));
        var d = dashboard.RootElement;
        var atRisk = d.GetProperty("atRisk").EnumerateArray().Select(r => r.GetProperty("risk_level").GetString()).ToList();
        var record = d.GetProperty("record");
        var i = insights.RootElement;
        return Summary.Dashboard(
            atRisk.Count(l => l == "Late"), atRisk.Count(l => l == "AtRisk"), atRisk.Count(l => l == "Watch"),
            record.GetProperty("kept").GetInt32(), record.GetProperty("keptLate").GetInt32(), record.GetProperty("broken").GetInt32(),
            d.GetProperty("approvals").GetInt32(), d.GetProperty("verbal").GetProperty("count").GetInt32(), d.GetProperty("activeAccounts").GetInt32(),
            d.GetProperty("brokenAccounts").GetArrayLength(), i.GetProperty("closed").GetInt32(), i.GetProperty("open").GetInt32(),
            i.GetProperty("openOverdue").GetInt32(), i.GetProperty("lessons").GetArrayLength());
    }

    /// <summary>The fulfilment queue's default tab (first 25 by planned date) and every tab's count, in one batch.</summary>
    public async Task<string> FulfilmentQueueAsync(string userId, string department, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command("""
            SELECT count(*) FILTER (WHERE m.assignee_id = @me),
                   count(*) FILTER (WHERE m.assignee_id IS NULL AND c.department = @department),
                   count(*) FILTER (WHERE COALESCE(m.forecast_date, m.planned_date) BETWEEN @today AND @weekEnd),
                   count(*) FILTER (WHERE COALESCE(m.forecast_date, m.planned_date) < @today),
                   count(*) FILTER (WHERE m.status = 'Blocked'),
                   count(*) FILTER (WHERE m.status = 'InProgress' AND (m.last_updated_at IS NULL OR m.last_updated_at < @staleBefore)),
                   count(*)
            FROM milestones m JOIN commitments c ON c.id = m.commitment_id
            WHERE m.status IN ('NotStarted', 'InProgress', 'Blocked') AND c.status <> 'Waived'
            """, ("me", userId), ("department", department), ("today", today), ("weekEnd", today.AddDays(6)), ("staleBefore", now.AddDays(-5))));
        batch.BatchCommands.Add(Command("""
            SELECT m.id, d.id, d.title, a.name, c.description, c.kind, m.title, m.assignee_id, u.display_name, m.status, m.status_reason,
                   m.planned_date, m.forecast_date, c.promised_date, c.department, m.last_updated_at, m.is_customer_acceptance, m.xmin, c.risk_level
            FROM milestones m JOIN commitments c ON c.id = m.commitment_id JOIN deals d ON d.id = c.deal_id JOIN accounts a ON a.id = d.account_id
                 LEFT JOIN "AspNetUsers" u ON u.id = m.assignee_id
            WHERE m.status IN ('NotStarted', 'InProgress', 'Blocked') AND c.status <> 'Waived' AND m.assignee_id = @me
            ORDER BY COALESCE(m.forecast_date, m.planned_date), m.id
            LIMIT 25
            """, ("me", userId)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var counts = Enumerable.Range(0, 7).Select(i => (int)reader.GetInt64(i)).ToList();
        await reader.NextResultAsync(cancellationToken);
        var shown = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var f = 0; f < reader.FieldCount; f++)
                _ = reader.GetValue(f);
            shown++;
        }
        return Summary.Queue(counts[0], shown, counts);
    }

    /// <summary>
    /// One keystroke of the promise dialog by hand: the deal's value (through the owner, as access would), the kind's template
    /// length and the four candidate curves by key in one batch; the finest group with 30 promises wins.
    /// </summary>
    public async Task<string> PromiseDialogKeystrokeAsync(string repId, Guid dealId, CancellationToken cancellationToken)
    {
        await using var batch = db.CreateBatch();
        var deal = new NpgsqlBatchCommand("SELECT value_amount FROM deals WHERE id = @deal AND owner_id = @rep");
        deal.Parameters.AddWithValue("deal", dealId);
        deal.Parameters.AddWithValue("rep", repId);
        batch.BatchCommands.Add(deal);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT jsonb_array_length(steps) FROM milestone_templates WHERE kind = 'Installation'"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT group_key, promises, completed FROM forecast_curves WHERE group_key LIKE '%|Installation|%' OR group_key = 'All|*|*|*|*'"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var value = await reader.ReadAsync(cancellationToken) ? reader.GetDecimal(0) : 0m;
        await reader.NextResultAsync(cancellationToken);
        var steps = await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0) ? reader.GetInt32(0) : 0;
        await reader.NextResultAsync(cancellationToken);
        var curves = new Dictionary<string, (int Promises, int Completed)>();
        while (await reader.ReadAsync(cancellationToken))
            curves[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt32(2));
        var subject = new Domain.Forecasts.ForecastSubject(Domain.Commitments.CommitmentKind.Installation, Domain.Department.Service,
            Domain.Forecasts.ReferenceGroup.BandOf(value), Domain.Forecasts.ReferenceGroup.CappedMilestones(steps));
        foreach (var group in Domain.Forecasts.ReferenceGroup.ChainFor(subject))
            if (curves.TryGetValue(group.Key, out var c) && c.Promises >= 30 && c.Completed > 0)
                return Summary.Forecast(group.Key, c.Promises);
        return Summary.Forecast(null, 0);
    }

    /// <summary>A deal's page: the deal and everything on it, the names it shows and the row versions, as one JSON document.</summary>
    public async Task<string> DealAsync(string repId, Guid dealId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            WITH deal AS (SELECT d.*, d.xmin::text AS version FROM deals d WHERE d.id = @deal AND d.owner_id = @rep),
            promises AS (SELECT c.*, c.xmin::text AS version FROM commitments c WHERE c.deal_id = (SELECT id FROM deal)),
            steps AS (SELECT m.*, m.xmin::text AS version FROM milestones m WHERE m.commitment_id IN (SELECT id FROM promises)),
            log AS (SELECT e.* FROM communication_entries e WHERE e.deal_id = (SELECT id FROM deal)),
            history AS (SELECT h.* FROM audit_entries h WHERE h.deal_id = (SELECT id FROM deal) ORDER BY h.id DESC LIMIT 500),
            stages AS (SELECT s.* FROM deal_stage_changes s WHERE s.deal_id = (SELECT id FROM deal))
            SELECT json_build_object(
                'deal', (SELECT row_to_json(deal) FROM deal),
                'account', (SELECT row_to_json(a) FROM accounts a WHERE a.id = (SELECT account_id FROM deal)),
                'contacts', (SELECT COALESCE(json_agg(ct), '[]') FROM contacts ct WHERE ct.account_id = (SELECT account_id FROM deal)),
                'promises', (SELECT COALESCE(json_agg(json_build_object('promise', row_to_json(c),
                                 'milestones', (SELECT COALESCE(json_agg(m ORDER BY m.position), '[]') FROM steps m WHERE m.commitment_id = c.id),
                                 'dates', (SELECT COALESCE(json_agg(h), '[]') FROM promised_date_changes h WHERE h.commitment_id = c.id))), '[]') FROM promises c),
                'milestones', (SELECT count(*) FROM steps),
                'checklist', (SELECT COALESCE(json_agg(i ORDER BY i.position), '[]') FROM deal_checklist_items i WHERE i.deal_id = (SELECT id FROM deal)),
                'touchpoints', (SELECT COALESCE(json_agg(t), '[]') FROM touchpoints t WHERE t.deal_id = (SELECT id FROM deal)),
                'stages', (SELECT COALESCE(json_agg(s), '[]') FROM stages s),
                'risks', (SELECT COALESCE(json_agg(r), '[]') FROM shared_risks r WHERE r.deal_id = (SELECT id FROM deal)),
                'reviews', (SELECT COALESCE(json_agg(r), '[]') FROM technical_review r WHERE r.deal_id = (SELECT id FROM deal)),
                'communications', (SELECT COALESCE(json_agg(e ORDER BY e.occurred_at DESC), '[]') FROM log e),
                'history', (SELECT COALESCE(json_agg(h ORDER BY h.id DESC), '[]') FROM history h),
                'plans', (SELECT COALESCE(json_agg(json_build_object('id', p.id, 'promise', p.commitment_id, 'open', p.resolved_at IS NULL, 'detected', p.detected_at)), '[]')
                          FROM recovery_plans p WHERE p.commitment_id IN (SELECT id FROM promises)),
                'names', (SELECT json_object_agg(u.id, u.display_name) FROM "AspNetUsers" u WHERE u.id IN (
                              SELECT owner_id FROM deal UNION SELECT owner_id FROM promises UNION SELECT assignee_id FROM steps
                              UNION SELECT by_user_id FROM stages UNION SELECT logged_by FROM log UNION SELECT changed_by FROM history)))
            """);
        command.Parameters.AddWithValue("deal", dealId);
        command.Parameters.AddWithValue("rep", repId);
        var json = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return Summary.Deal(r.GetProperty("promises").GetArrayLength(), r.GetProperty("milestones").GetInt32(), r.GetProperty("checklist").GetArrayLength(),
            r.GetProperty("touchpoints").GetArrayLength(), r.GetProperty("communications").GetArrayLength(), r.GetProperty("history").GetArrayLength());
    }

    /// <summary>The deals list's first page in the default order (what needs attention first) and the total, for a rep's or a team's deals.</summary>
    public async Task<string> DealsListAsync(string? ownerId, Guid? teamId, CancellationToken cancellationToken)
    {
        var scope = ownerId is not null
            ? "SELECT d.* FROM deals d WHERE d.owner_id = @owner"
            : "SELECT d.* FROM deals d WHERE d.owner_id = ANY (ARRAY(SELECT o.id FROM \"AspNetUsers\" o WHERE o.team_id = @team))";
        await using var command = db.CreateCommand($"""
            WITH scope AS MATERIALIZED ({scope}),
            agg AS (
                SELECT s.id, s.title, s.account_id, s.owner_id, s.stage, s.value_amount, s.value_currency, s.stage_entered_at, x.*
                FROM scope s CROSS JOIN LATERAL (
                    SELECT min(c.promised_date) FILTER (WHERE c.direction = 'Ours' AND c.status IN ('Open', 'Broken')) AS next_promised,
                           count(*) FILTER (WHERE c.status IN ('Open', 'Broken')) AS open,
                           count(*) FILTER (WHERE c.status = 'Broken') AS broken,
                           count(*) FILTER (WHERE c.direction = 'Ours' AND c.risk_level = 'Late') AS late,
                           count(*) FILTER (WHERE c.direction = 'Ours' AND c.risk_level = 'AtRisk') AS at_risk,
                           count(*) FILTER (WHERE c.direction = 'Ours' AND c.risk_level = 'Watch') AS watch
                    FROM commitments c WHERE c.deal_id = s.id) x)
            SELECT x.id, x.title, a.name, u.display_name, x.stage, x.value_amount, x.value_currency, x.next_promised, x.stage_entered_at,
                   x.open, x.broken, x.late, x.at_risk, x.watch, count(*) OVER () AS total
            FROM agg x JOIN accounts a ON a.id = x.account_id JOIN "AspNetUsers" u ON u.id = x.owner_id
            ORDER BY x.late > 0 DESC, x.at_risk > 0 DESC, x.broken > 0 DESC, x.watch > 0 DESC, x.next_promised IS NULL, x.next_promised, x.id
            LIMIT 25
            """);
        if (ownerId is not null)
            command.Parameters.AddWithValue("owner", ownerId);
        else
            command.Parameters.AddWithValue("team", teamId!.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<Guid>();
        long total = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var f = 0; f < reader.FieldCount; f++)
                _ = reader.GetValue(f);
            ids.Add(reader.GetGuid(0));
            total = reader.GetInt64(reader.FieldCount - 1);
        }
        return Summary.Deals((int)total, ids);
    }

    /// <summary>Today for a rep: touchpoints due (with the accounts' contacts), promises due in 14 days, open recovery plans and their steps.</summary>
    public async Task<string> TodayAsync(string repId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(Command("""
            WITH due AS (
                SELECT t.id, d.id AS deal_id, d.title, a.id AS account_id, a.name AS account, u.display_name AS owner, t.kind, c.description, t.due_on
                FROM touchpoints t JOIN deals d ON d.id = t.deal_id JOIN accounts a ON a.id = d.account_id JOIN "AspNetUsers" u ON u.id = d.owner_id
                     LEFT JOIN commitments c ON c.id = t.commitment_id
                WHERE d.owner_id = @rep AND d.stage <> 'Lost' AND t.completed_at IS NULL AND NOT t.is_cancelled AND t.due_on <= @today
                ORDER BY t.due_on, d.title, t.kind
                LIMIT 200)
            SELECT due.*, (SELECT json_agg(json_build_object('name', ct.name, 'email', ct.email, 'role', ct.role)) FROM contacts ct WHERE ct.account_id = due.account_id)
            FROM due ORDER BY due.due_on, due.title, due.kind
            """, ("rep", repId), ("today", today)));
        batch.BatchCommands.Add(Command("""
            SELECT c.id, d.id, d.title, a.name, u.display_name, c.direction, c.kind, c.description, c.promised_date, c.status
            FROM commitments c JOIN deals d ON d.id = c.deal_id JOIN accounts a ON a.id = d.account_id JOIN "AspNetUsers" u ON u.id = d.owner_id
            WHERE d.owner_id = @rep AND d.stage <> 'Lost' AND c.status IN ('Open', 'Broken') AND c.promised_date <= @horizon
            ORDER BY c.promised_date, d.title
            LIMIT 200
            """, ("rep", repId), ("horizon", today.AddDays(14))));
        batch.BatchCommands.Add(Command("""
            SELECT p.id, c.description, d.title, a.name,
                   (SELECT s.owner_id FROM recovery_steps s WHERE s.plan_id = p.id AND s.done_at IS NULL AND s.owner_id = @rep ORDER BY s.position LIMIT 1) AS next_owner,
                   (SELECT s.due_at FROM recovery_steps s WHERE s.plan_id = p.id AND s.done_at IS NULL AND s.owner_id = @rep ORDER BY s.position LIMIT 1) AS next_due
            FROM recovery_plans p JOIN commitments c ON c.id = p.commitment_id JOIN deals d ON d.id = p.deal_id JOIN accounts a ON a.id = d.account_id
            WHERE p.resolved_at IS NULL AND d.owner_id = @rep AND d.stage <> 'Lost'
            ORDER BY p.detected_at
            LIMIT 200
            """, ("rep", repId)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var touchpoints = await ConsumeAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var promises = await ConsumeAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var steps = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(4))
                steps++;
        }
        return Summary.Today(touchpoints, promises, steps);
    }

    /// <summary>
    /// The sweep's reading floor: every input of the risk evaluation for every deal with an open promise of ours (each promise
    /// with its milestones, their updates and its last renegotiation), in one streamed query. Evaluation and writes excluded.
    /// </summary>
    public async Task<string> SweepInputsAsync(CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT c.id, c.deal_id, c.direction, c.status, c.promised_date, c.created_at, c.risk_level, c.risk_reasons, c.risk_since, c.risk_review_on,
                   (SELECT json_agg(json_build_object('position', m.position, 'status', m.status, 'planned', m.planned_date, 'forecast', m.forecast_date,
                                    'updated', m.last_updated_at, 'reason', m.status_reason, 'title', m.title,
                                    'updates', (SELECT json_agg(json_build_object('at', u.at, 'status', u.new_status, 'forecast', u.new_forecast))
                                                FROM milestone_updates u WHERE u.milestone_id = m.id)))
                    FROM milestones m WHERE m.commitment_id = c.id) AS milestones,
                   (SELECT max(h.at) FROM promised_date_changes h WHERE h.commitment_id = c.id) AS renegotiated
            FROM commitments c
            WHERE c.deal_id IN (SELECT deal_id FROM commitments WHERE direction = 'Ours' AND status IN ('Open', 'Broken'))
            """);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = await ConsumeAsync(reader, cancellationToken);
        return $"{rows} promises read";
    }

    private static async Task<int> ConsumeAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var f = 0; f < reader.FieldCount; f++)
                _ = reader.GetValue(f);
            rows++;
        }
        return rows;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command;
    }
}
