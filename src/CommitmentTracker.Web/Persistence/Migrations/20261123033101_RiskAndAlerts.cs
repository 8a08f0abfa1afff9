using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RiskAndAlerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "risk_evaluated_at",
                table: "commitments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "risk_level",
                table: "commitments",
                type: "character varying(40)",
                maxLength: 40,
                nullable: false,
                defaultValue: "OnTrack");

            migrationBuilder.AddColumn<string>(
                name: "risk_reasons",
                table: "commitments",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "risk_since",
                table: "commitments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "alerts",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    commitment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: false),
                    recipient_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    level = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    title = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    reasons = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    detected_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    read_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    emailed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    email_attempts = table.Column<int>(type: "integer", nullable: false),
                    email_error = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alerts", x => x.id);
                    table.ForeignKey(
                        name: "fk_alerts_commitments_commitment_id",
                        column: x => x.commitment_id,
                        principalTable: "commitments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "risk_settings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    watch_within_days = table.Column<int>(type: "integer", nullable: false),
                    stale_after_days = table.Column<int>(type: "integer", nullable: false),
                    schedule_elapsed_share = table.Column<decimal>(type: "numeric(4,3)", precision: 4, scale: 3, nullable: false),
                    schedule_done_share = table.Column<decimal>(type: "numeric(4,3)", precision: 4, scale: 3, nullable: false),
                    broken_accounts_alarm_share = table.Column<decimal>(type: "numeric(4,3)", precision: 4, scale: 3, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_risk_settings", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_commitments_risk_level_direction_status",
                table: "commitments",
                columns: new[] { "risk_level", "direction", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_alerts_commitment_id",
                table: "alerts",
                column: "commitment_id");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_detected_at",
                table: "alerts",
                column: "detected_at",
                filter: "emailed_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_alerts_recipient_id_detected_at",
                table: "alerts",
                columns: new[] { "recipient_id", "detected_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alerts");

            migrationBuilder.DropTable(
                name: "risk_settings");

            migrationBuilder.DropIndex(
                name: "ix_commitments_risk_level_direction_status",
                table: "commitments");

            migrationBuilder.DropColumn(
                name: "risk_evaluated_at",
                table: "commitments");

            migrationBuilder.DropColumn(
                name: "risk_level",
                table: "commitments");

            migrationBuilder.DropColumn(
                name: "risk_reasons",
                table: "commitments");

            migrationBuilder.DropColumn(
                name: "risk_since",
                table: "commitments");
        }
    }
}
