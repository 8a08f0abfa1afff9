using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecoveryPlans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "recovery_plans",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    commitment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    level = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    opened_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    forecast_date = table.Column<DateOnly>(type: "date", nullable: true),
                    need_date = table.Column<DateOnly>(type: "date", nullable: true),
                    buffer_absorbs_slip = table.Column<bool>(type: "boolean", nullable: true),
                    manager_alerted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    manager_acknowledged_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    manager_acknowledged_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    customer_told_communication_id = table.Column<Guid>(type: "uuid", nullable: true),
                    customer_told_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    offered_meanwhile = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    manager_contact = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    boss_contact_note = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    boss_contacted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    solution_presented_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    solution_accepted = table.Column<bool>(type: "boolean", nullable: true),
                    customer_forgave = table.Column<bool>(type: "boolean", nullable: true),
                    compensation_approved_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    compensation_approved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    root_cause = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    root_cause_department = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    lesson = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    compensation_budget = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    compensation_cost_to_us = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    compensation_estimated_loss = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    compensation_face_value = table.Column<decimal>(type: "numeric(18,2)", precision: 18, scale: 2, nullable: true),
                    compensation_item = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recovery_plans", x => x.id);
                    table.ForeignKey(
                        name: "fk_recovery_plans_commitments_commitment_id",
                        column: x => x.commitment_id,
                        principalTable: "commitments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recovery_options",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    description = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    reshuffle_with_commitment_id = table.Column<Guid>(type: "uuid", nullable: true),
                    added_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    is_chosen = table.Column<bool>(type: "boolean", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recovery_options", x => x.id);
                    table.ForeignKey(
                        name: "fk_recovery_options_recovery_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "recovery_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recovery_steps",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    plan_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false),
                    owner_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    done_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    notes = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    escalated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    escalated_to = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recovery_steps", x => x.id);
                    table.ForeignKey(
                        name: "fk_recovery_steps_recovery_plans_plan_id",
                        column: x => x.plan_id,
                        principalTable: "recovery_plans",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_recovery_options_plan_id",
                table: "recovery_options",
                column: "plan_id");

            migrationBuilder.CreateIndex(
                name: "ix_recovery_plans_commitment_id_detected_at",
                table: "recovery_plans",
                columns: new[] { "commitment_id", "detected_at" });

            migrationBuilder.CreateIndex(
                name: "ix_recovery_plans_commitment_id_open",
                table: "recovery_plans",
                column: "commitment_id",
                unique: true,
                filter: "resolved_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_recovery_plans_root_cause_resolved_at",
                table: "recovery_plans",
                columns: new[] { "root_cause", "resolved_at" });

            migrationBuilder.CreateIndex(
                name: "ix_recovery_steps_due_at",
                table: "recovery_steps",
                column: "due_at",
                filter: "done_at IS NULL AND escalated_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_recovery_steps_plan_id_kind",
                table: "recovery_steps",
                columns: new[] { "plan_id", "kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "recovery_options");

            migrationBuilder.DropTable(
                name: "recovery_steps");

            migrationBuilder.DropTable(
                name: "recovery_plans");
        }
    }
}
