using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecoveryPlansByDealOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "deal_owner_id",
                table: "recovery_plans",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.Sql("UPDATE recovery_plans p SET deal_owner_id = d.owner_id FROM deals d WHERE d.id = p.deal_id;");
            // The owner comes with the deal: filled in when a plan is stored (unless a bulk load wrote it already).
            migrationBuilder.Sql("""
                CREATE FUNCTION recovery_plan_deal_owner() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.deal_owner_id IS NULL OR (TG_OP = 'UPDATE' AND NEW.deal_id IS DISTINCT FROM OLD.deal_id) THEN
                        NEW.deal_owner_id := (SELECT owner_id FROM deals WHERE id = NEW.deal_id);
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER recovery_plans_deal_owner BEFORE INSERT OR UPDATE OF deal_id ON recovery_plans
                    FOR EACH ROW EXECUTE FUNCTION recovery_plan_deal_owner();
                """);

            migrationBuilder.CreateIndex(
                name: "ix_recovery_plans_deal_owner_id_resolved_at",
                table: "recovery_plans",
                columns: new[] { "deal_owner_id", "resolved_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER recovery_plans_deal_owner ON recovery_plans; DROP FUNCTION recovery_plan_deal_owner();");

            migrationBuilder.DropIndex(
                name: "ix_recovery_plans_deal_owner_id_resolved_at",
                table: "recovery_plans");

            migrationBuilder.DropColumn(
                name: "deal_owner_id",
                table: "recovery_plans");
        }
    }
}
