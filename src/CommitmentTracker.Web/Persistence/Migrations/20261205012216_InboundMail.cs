using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CommitmentTracker.Web.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InboundMail : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "email_id",
                table: "communication_entries",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "evidence",
                table: "commitments",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "inbound_emails",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    from_address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    from_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    recipients = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    subject = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    text_body = table.Column<string>(type: "character varying(100100)", maxLength: 100100, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    inbox_user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    deal_id = table.Column<Guid>(type: "uuid", nullable: true),
                    communication_entry_id = table.Column<Guid>(type: "uuid", nullable: true),
                    handled_by = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    handled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    attachments = table.Column<string>(type: "jsonb", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_emails", x => x.id);
                    table.ForeignKey(
                        name: "fk_inbound_emails_asp_net_users_inbox_user_id",
                        column: x => x.inbox_user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_inbound_emails_deals_deal_id",
                        column: x => x.deal_id,
                        principalTable: "deals",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_communication_entries_email_id",
                table: "communication_entries",
                column: "email_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_emails_deal_id",
                table: "inbound_emails",
                column: "deal_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_emails_inbox_user_id_received_at",
                table: "inbound_emails",
                columns: new[] { "inbox_user_id", "received_at" },
                filter: "status = 'Inbox'");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_emails_message_id",
                table: "inbound_emails",
                column: "message_id");

            migrationBuilder.AddForeignKey(
                name: "fk_communication_entries_inbound_emails_email_id",
                table: "communication_entries",
                column: "email_id",
                principalTable: "inbound_emails",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_communication_entries_inbound_emails_email_id",
                table: "communication_entries");

            migrationBuilder.DropTable(
                name: "inbound_emails");

            migrationBuilder.DropIndex(
                name: "ix_communication_entries_email_id",
                table: "communication_entries");

            migrationBuilder.DropColumn(
                name: "email_id",
                table: "communication_entries");

            migrationBuilder.DropColumn(
                name: "evidence",
                table: "commitments");
        }
    }
}
