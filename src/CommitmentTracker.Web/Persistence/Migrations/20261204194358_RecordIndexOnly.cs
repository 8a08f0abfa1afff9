using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecordIndexOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_commitments_kept_by_owner",
                table: "commitments");

            migrationBuilder.DropIndex(
                name: "ix_commitments_open_by_owner",
                table: "commitments");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_kept_by_owner",
                table: "commitments",
                columns: new[] { "deal_owner_id", "direction", "completed_on" },
                filter: "status = 'Kept' OR status = 'KeptLate'")
                .Annotation("Npgsql:IndexInclude", new[] { "department", "status", "deal_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_commitments_open_by_owner",
                table: "commitments",
                columns: new[] { "deal_owner_id", "direction", "promised_date" },
                filter: "status = 'Open' OR status = 'Broken'")
                .Annotation("Npgsql:IndexInclude", new[] { "department", "status", "deal_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_commitments_kept_by_owner",
                table: "commitments");

            migrationBuilder.DropIndex(
                name: "ix_commitments_open_by_owner",
                table: "commitments");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_kept_by_owner",
                table: "commitments",
                columns: new[] { "deal_owner_id", "direction", "completed_on" },
                filter: "status = 'Kept' OR status = 'KeptLate'");

            migrationBuilder.CreateIndex(
                name: "ix_commitments_open_by_owner",
                table: "commitments",
                columns: new[] { "deal_owner_id", "direction", "promised_date" },
                filter: "status = 'Open' OR status = 'Broken'");
        }
    }
}
