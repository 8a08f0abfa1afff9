using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>
/// What was said to a customer and how promises moved are records the company stands behind: neither the
/// DbContext nor the database lets them be changed or deleted.
/// </summary>
public sealed class AppendOnlyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Editing_a_communication_entry_is_refused_by_the_DbContext()
    {
        var records = await ArrangeRecordsAsync();
        await using var db = database.CreateDbContext();
        var entry = await db.CommunicationEntries.SingleAsync(e => e.Id == records.CommunicationEntryId, Cancel);
        db.Entry(entry).Property(e => e.Summary).CurrentValue = "What we wish we had said.";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));

        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        Assert.Equal("Delivery on 12 May.", await SummaryAsync(records.CommunicationEntryId));
    }

    [Fact]
    public async Task Deleting_a_communication_entry_is_refused_by_the_DbContext()
    {
        var records = await ArrangeRecordsAsync();
        await using var db = database.CreateDbContext();
        db.CommunicationEntries.Remove(await db.CommunicationEntries.SingleAsync(e => e.Id == records.CommunicationEntryId, Cancel));

        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));

        Assert.Equal("Delivery on 12 May.", await SummaryAsync(records.CommunicationEntryId));
    }

    [Fact]
    public async Task Editing_or_deleting_a_milestone_update_is_refused_by_the_DbContext()
    {
        var records = await ArrangeRecordsAsync();
        await using (var db = database.CreateDbContext())
        {
            var update = await db.MilestoneUpdates.SingleAsync(u => u.Id == records.MilestoneUpdateId, Cancel);
            db.Entry(update).Property(u => u.NewStatus).CurrentValue = MilestoneStatus.Done;
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));
        }
        await using (var db = database.CreateDbContext())
        {
            db.MilestoneUpdates.Remove(await db.MilestoneUpdates.SingleAsync(u => u.Id == records.MilestoneUpdateId, Cancel));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));
        }

        var stored = await database.QueryAsync(db => db.MilestoneUpdates.SingleAsync(u => u.Id == records.MilestoneUpdateId, Cancel));
        Assert.Equal(MilestoneStatus.InProgress, stored.NewStatus);
    }

    [Fact]
    public async Task Editing_a_promised_date_change_or_a_stage_change_is_refused_by_the_DbContext()
    {
        var records = await ArrangeRecordsAsync();
        await using (var db = database.CreateDbContext())
        {
            var change = await db.PromisedDateChanges.SingleAsync(c => c.Id == records.PromisedDateChangeId, Cancel);
            db.Entry(change).Property(c => c.NewDate).CurrentValue = Today.AddDays(200);
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));
        }
        await using (var db = database.CreateDbContext())
        {
            db.DealStageChanges.Remove(await db.DealStageChanges.SingleAsync(c => c.Id == records.DealStageChangeId, Cancel));
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));
        }
    }

    [Theory]
    [InlineData("UPDATE communication_entries SET summary = 'x' WHERE id = {0}")]
    [InlineData("DELETE FROM communication_entries WHERE id = {0}")]
    [InlineData("UPDATE milestone_updates SET note = 'x' WHERE id = {0}")]
    [InlineData("DELETE FROM milestone_updates WHERE id = {0}")]
    [InlineData("UPDATE promised_date_changes SET reason = 'x' WHERE id = {0}")]
    [InlineData("DELETE FROM promised_date_changes WHERE id = {0}")]
    [InlineData("UPDATE deal_stage_changes SET by_user_id = 'x' WHERE id = {0}")]
    [InlineData("DELETE FROM deal_stage_changes WHERE id = {0}")]
    public async Task The_database_refuses_changes_to_records_made_with_raw_SQL(string sql)
    {
        var records = await ArrangeRecordsAsync();
        var table = sql.Split(' ')[sql.StartsWith("UPDATE", StringComparison.Ordinal) ? 1 : 2];
        var id = records.IdIn(table);
        // As the owner, who holds every table privilege: the trigger is what refuses (the app's role is refused earlier, see LeastPrivilegeTests).
        await using var db = database.CreateOwnerDbContext();

        var error = await Assert.ThrowsAsync<PostgresException>(() => db.Database.ExecuteSqlRawAsync(sql, [id], Cancel));

        Assert.Equal(PostgresErrorCodes.RaiseException, error.SqlState);
        Assert.Contains($"{table} is append-only", error.MessageText, StringComparison.Ordinal);
        // The table name comes from the test's own data, never from input.
        var count = "SELECT count(*)::int AS \"Value\" FROM " + table + " WHERE id = {0}";
        Assert.Equal(1, await database.QueryAsync(d => d.Database.SqlQueryRaw<int>(count, id).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task Bulk_updates_and_deletes_that_bypass_the_change_tracker_are_refused_by_the_database()
    {
        var records = await ArrangeRecordsAsync();
        await using var db = database.CreateOwnerDbContext();
        var entries = db.CommunicationEntries.Where(e => e.Id == records.CommunicationEntryId);

        await Assert.ThrowsAsync<PostgresException>(() => entries.ExecuteUpdateAsync(s => s.SetProperty(e => e.Summary, "Rewritten."), Cancel));
        await Assert.ThrowsAsync<PostgresException>(() => entries.ExecuteDeleteAsync(Cancel));
        await Assert.ThrowsAsync<PostgresException>(() => db.MilestoneUpdates.Where(u => u.Id == records.MilestoneUpdateId).ExecuteDeleteAsync(Cancel));

        Assert.Equal("Delivery on 12 May.", await SummaryAsync(records.CommunicationEntryId));
    }

    [Fact]
    public async Task New_records_can_still_be_appended()
    {
        var records = await ArrangeRecordsAsync();
        var original = await database.QueryAsync(db => db.CommunicationEntries.AsNoTracking().SingleAsync(e => e.Id == records.CommunicationEntryId, Cancel));

        await database.InsertAsync(original.CorrectWith("Delivery on 19 May.", original.LoggedBy, Now));

        Assert.Equal(2, await database.QueryAsync(db => db.CommunicationEntries.CountAsync(e => e.DealId == original.DealId, Cancel)));
    }

    private Task<string> SummaryAsync(Guid entryId) =>
        database.QueryAsync(db => db.CommunicationEntries.Where(e => e.Id == entryId).Select(e => e.Summary).SingleAsync(Cancel));

    /// <summary>An ordered deal with one record of each append-only kind.</summary>
    private async Task<Records> ArrangeRecordsAsync()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        Commitment promise = null!;
        var deal = await database.CreateDealAsync(rep, stage: DealStage.Ordered, arrange: d =>
        {
            promise = AddPromise(d);
            var milestone = promise.AddMilestone("Ship", null, Today.AddDays(60));
            promise.UpdateMilestone(milestone.Id, new MilestoneChange(MilestoneStatus.InProgress, Today.AddDays(61)), rep.UserId, Now, Today);
            d.RenegotiateCommitment(promise.Id, Today.AddDays(75), "Hannah Berg", Now, "Parts are late.", rep.UserId, Now, Today);
        });
        var entry = CommunicationEntry.Log(deal.Id, promise.Id, CommunicationChannel.Email, CommunicationDirection.ToCustomer, "Hannah Berg", "Delivery on 12 May.", Now, rep.UserId, Now);
        await database.InsertAsync(entry);
        return new Records(
            entry.Id,
            promise.Milestones.Single().Updates.Single().Id,
            promise.DateHistory.Single().Id,
            deal.StageHistory.Single(s => s.To == DealStage.Ordered).Id);
    }

    private sealed record Records(Guid CommunicationEntryId, Guid MilestoneUpdateId, Guid PromisedDateChangeId, Guid DealStageChangeId)
    {
        public Guid IdIn(string table) => table switch
        {
            "communication_entries" => CommunicationEntryId,
            "milestone_updates" => MilestoneUpdateId,
            "promised_date_changes" => PromisedDateChangeId,
            "deal_stage_changes" => DealStageChangeId,
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
        };
    }
}
