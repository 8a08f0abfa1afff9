using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AccountsAndSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "ix_deals_title_trgm",
                table: "deals",
                column: "title")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_commitments_description_trgm",
                table: "commitments",
                column: "description")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_commitments_ours_open_by_promised_date",
                table: "commitments",
                columns: new[] { "promised_date", "deal_id" },
                filter: "direction = 'Ours' AND (status = 'Open' OR status = 'Broken')");

            migrationBuilder.CreateIndex(
                name: "ix_accounts_industry",
                table: "accounts",
                column: "industry");

            migrationBuilder.CreateIndex(
                name: "ix_accounts_name_trgm",
                table: "accounts",
                column: "name")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_deals_title_trgm",
                table: "deals");

            migrationBuilder.DropIndex(
                name: "ix_commitments_description_trgm",
                table: "commitments");

            migrationBuilder.DropIndex(
                name: "ix_commitments_ours_open_by_promised_date",
                table: "commitments");

            migrationBuilder.DropIndex(
                name: "ix_accounts_industry",
                table: "accounts");

            migrationBuilder.DropIndex(
                name: "ix_accounts_name_trgm",
                table: "accounts");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");
        }
    }
}
