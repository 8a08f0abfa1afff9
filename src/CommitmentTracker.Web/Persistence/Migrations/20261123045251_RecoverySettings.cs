using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecoverySettings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "marketing_spend",
                table: "risk_settings",
                type: "numeric(18,2)",
                precision: 18,
                scale: 2,
                nullable: false,
                defaultValue: 240000m);

            migrationBuilder.AddColumn<int>(
                name: "new_customers",
                table: "risk_settings",
                type: "integer",
                nullable: false,
                defaultValue: 60);

            migrationBuilder.AddColumn<int>(
                name: "tell_customer_within_hours",
                table: "risk_settings",
                type: "integer",
                nullable: false,
                defaultValue: 24);

            migrationBuilder.AddColumn<string>(
                name: "opened_by",
                table: "recovery_plans",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "marketing_spend",
                table: "risk_settings");

            migrationBuilder.DropColumn(
                name: "new_customers",
                table: "risk_settings");

            migrationBuilder.DropColumn(
                name: "tell_customer_within_hours",
                table: "risk_settings");

            migrationBuilder.DropColumn(
                name: "opened_by",
                table: "recovery_plans");
        }
    }
}
