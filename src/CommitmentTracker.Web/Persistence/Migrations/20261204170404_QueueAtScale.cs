using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class QueueAtScale : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "department",
                table: "milestones",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_recovery_plans_deal_id_resolved_at",
                table: "recovery_plans",
                columns: new[] { "deal_id", "resolved_at" });

            // A milestone carries its promise's department (which never changes).
            migrationBuilder.Sql("UPDATE milestones m SET department = c.department FROM commitments c WHERE c.id = m.commitment_id;");
            // A waived promise's unfinished milestones are skipped, as Commitment.Waive now does: they leave the queue.
            migrationBuilder.Sql("""
                UPDATE milestones SET status = 'Skipped', status_reason = 'The promise was waived.'
                WHERE status <> 'Done' AND status <> 'Skipped'
                  AND commitment_id IN (SELECT id FROM commitments WHERE status = 'Waived');
                """);
            // The fulfilment queue's open milestones by expected date: every tab's order, the due and overdue tabs.
            migrationBuilder.Sql("""
                CREATE INDEX ix_milestones_open_expected ON milestones ((COALESCE(forecast_date, planned_date)), id)
                WHERE status <> 'Done' AND status <> 'Skipped';
                """);
            // A department's unassigned open milestones, by expected date.
            migrationBuilder.Sql("""
                CREATE INDEX ix_milestones_open_unassigned ON milestones (department, (COALESCE(forecast_date, planned_date)), id)
                WHERE assignee_id IS NULL AND status <> 'Done' AND status <> 'Skipped';
                """);
            // Milestones in progress by their last update: the stale tab.
            migrationBuilder.Sql("CREATE INDEX ix_milestones_in_progress_updated ON milestones (last_updated_at) WHERE status = 'InProgress';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_milestones_in_progress_updated; DROP INDEX ix_milestones_open_unassigned; DROP INDEX ix_milestones_open_expected;");
            migrationBuilder.DropIndex(
                name: "ix_recovery_plans_deal_id_resolved_at",
                table: "recovery_plans");

            migrationBuilder.DropColumn(
                name: "department",
                table: "milestones");
        }
    }
}
