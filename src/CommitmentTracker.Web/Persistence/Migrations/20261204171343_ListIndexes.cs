using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_touchpoints_open_by_deal",
                table: "touchpoints",
                columns: new[] { "deal_id", "due_on" },
                filter: "completed_at IS NULL AND NOT is_cancelled");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_not_on_track_by_deal",
                table: "commitments",
                columns: new[] { "deal_id", "risk_level" },
                filter: "risk_level <> 'OnTrack'");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_open_by_deal",
                table: "commitments",
                columns: new[] { "deal_id", "status", "direction", "promised_date" },
                filter: "status = 'Open' OR status = 'Broken'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_touchpoints_open_by_deal",
                table: "touchpoints");

            migrationBuilder.DropIndex(
                name: "ix_commitments_not_on_track_by_deal",
                table: "commitments");

            migrationBuilder.DropIndex(
                name: "ix_commitments_open_by_deal",
                table: "commitments");
        }
    }
}
