using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PromiseForecast : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<decimal>(
                name: "forecast_minimum_probability",
                table: "risk_settings",
                type: "numeric(4,3)",
                precision: 4,
                scale: 3,
                nullable: false,
                defaultValue: 0.70m); // hand-written: the default minimum chance, not 0

            migrationBuilder.AddColumn<string>(
                name: "aggressive_cause",
                table: "commitments",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "forecast_probability",
                table: "commitments",
                type: "numeric(4,3)",
                precision: 4,
                scale: 3,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "forecast_curves",
                columns: table => new
                {
                    group_key = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    promises = table.Column<int>(type: "integer", nullable: false),
                    completed = table.Column<int>(type: "integer", nullable: false),
                    days = table.Column<int[]>(type: "integer[]", nullable: false),
                    undone = table.Column<double[]>(type: "double precision[]", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_forecast_curves", x => x.group_key);
                });

            // hand-written: every promise aggressive before the forecast was so by its lead time
            migrationBuilder.Sql("UPDATE commitments SET aggressive_cause = 'LeadTime' WHERE is_aggressive;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "forecast_curves");

            migrationBuilder.DropColumn(
                name: "forecast_minimum_probability",
                table: "risk_settings");

            migrationBuilder.DropColumn(
                name: "aggressive_cause",
                table: "commitments");

            migrationBuilder.DropColumn(
                name: "forecast_probability",
                table: "commitments");
        }
    }
}
