using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PromisesByDealOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "deal_owner_id",
                table: "commitments",
                type: "character varying(450)",
                maxLength: 450,
                nullable: false,
                defaultValue: "");

            // A promise carries its deal's owner (a deal's owner never changes).
            migrationBuilder.Sql("UPDATE commitments c SET deal_owner_id = d.owner_id FROM deals d WHERE d.id = c.deal_id;");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_kept_by_owner",
                table: "commitments",
                columns: new[] { "deal_owner_id", "direction", "completed_on" },
                filter: "status = 'Kept' OR status = 'KeptLate'");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_not_on_track_by_owner",
                table: "commitments",
                columns: new[] { "deal_owner_id", "risk_level" },
                filter: "risk_level <> 'OnTrack'");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_open_by_owner",
                table: "commitments",
                columns: new[] { "deal_owner_id", "direction", "promised_date" },
                filter: "status = 'Open' OR status = 'Broken'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_commitments_kept_by_owner",
                table: "commitments");

            migrationBuilder.DropIndex(
                name: "ix_commitments_not_on_track_by_owner",
                table: "commitments");

            migrationBuilder.DropIndex(
                name: "ix_commitments_open_by_owner",
                table: "commitments");

            migrationBuilder.DropColumn(
                name: "deal_owner_id",
                table: "commitments");
        }
    }
}
