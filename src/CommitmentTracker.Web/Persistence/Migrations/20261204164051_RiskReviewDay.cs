using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RiskReviewDay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "review_all_pending",
                table: "risk_settings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateOnly>(
                name: "risk_review_on",
                table: "commitments",
                type: "date",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_commitments_risk_review_on",
                table: "commitments",
                column: "risk_review_on",
                filter: "risk_review_on IS NOT NULL");

            // Promises evaluated before review days existed: the next sweep looks at every open promise of ours once.
            migrationBuilder.Sql("UPDATE risk_settings SET review_all_pending = true;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_commitments_risk_review_on",
                table: "commitments");

            migrationBuilder.DropColumn(
                name: "review_all_pending",
                table: "risk_settings");

            migrationBuilder.DropColumn(
                name: "risk_review_on",
                table: "commitments");
        }
    }
}
