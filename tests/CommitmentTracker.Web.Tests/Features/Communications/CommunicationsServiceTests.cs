using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Communications;

/// <summary>
/// The append-only communication log and the touchpoints that write to it: entries are added, corrected by new
/// entries, never changed; completing a touchpoint and writing its entry happen together or not at all.
/// </summary>
public sealed class CommunicationsServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Later = Now.AddHours(3);

    private readonly CommunicationsService _communications = new(
        database, new FakeTimeProvider(Later), new LogCommunicationValidator(new FakeTimeProvider(Later)),
        new CorrectCommunicationValidator(), new CompleteTouchpointValidator());

    [Fact]
    public async Task Logging_a_communication_adds_an_entry_with_who_logged_it_and_when()
    {
        var (rep, deal) = await ArrangeAsync();

        var id = await _communications.LogAsync(rep, deal.Id, Call(), Cancel);

        var entry = await EntryAsync(id);
        Assert.Equal(
            (deal.Id, (Guid?)null, CommunicationChannel.Phone, CommunicationDirection.FromCustomer, "Hannah Berg, Ana Rep", "Asked to move the delivery by a week.", new DateTimeOffset(2026, 3, 2, 11, 15, 0, TimeSpan.Zero), rep.UserId, Later),
            (entry.DealId, entry.CorrectsEntryId, entry.Channel, entry.Direction, entry.People, entry.Summary, entry.OccurredAt, entry.LoggedBy, entry.LoggedAt));
    }

    [Fact]
    public async Task An_entry_can_be_about_a_promise_of_the_same_deal_only()
    {
        Guid promiseId = default;
        var (rep, deal) = await ArrangeAsync(d => promiseId = AddPromise(d).Id);
        var (_, other) = await ArrangeAsync(d => AddPromise(d));
        var otherPromiseId = other.Commitments[0].Id;

        var input = Call();
        input.CommitmentId = promiseId;
        var id = await _communications.LogAsync(rep, deal.Id, input, Cancel);
        input.CommitmentId = otherPromiseId;
        await Assert.ThrowsAsync<DomainException>(() => _communications.LogAsync(rep, deal.Id, input, Cancel));

        Assert.Equal(promiseId, (await EntryAsync(id)).CommitmentId);
        Assert.Equal(1, await CountEntriesAsync(deal.Id));
    }

    [Theory]
    [InlineData("", "Asked for an update.", "People")]
    [InlineData("Hannah Berg", " ", "Summary")]
    public async Task A_communication_without_people_or_summary_is_refused_and_nothing_is_logged(string people, string summary, string field)
    {
        var (rep, deal) = await ArrangeAsync();
        var input = Call();
        input.People = people;
        input.Summary = summary;

        var error = await Assert.ThrowsAsync<ValidationException>(() => _communications.LogAsync(rep, deal.Id, input, Cancel));

        Assert.Contains(error.Errors, e => e.PropertyName == field);
        Assert.Equal(0, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task A_communication_in_the_future_is_refused()
    {
        var (rep, deal) = await ArrangeAsync();
        var input = Call();
        input.OccurredAt = Later.TimeOfDay.Add(TimeSpan.FromHours(1));

        var error = await Assert.ThrowsAsync<ValidationException>(() => _communications.LogAsync(rep, deal.Id, input, Cancel));

        Assert.Contains(error.Errors, e => e.ErrorMessage == "A communication cannot be logged in the future.");
        Assert.Equal(0, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task A_correction_is_a_new_entry_linked_to_the_original_which_stays_as_it_was()
    {
        var (rep, deal) = await ArrangeAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, await TeamOfAsync(rep));
        var originalId = await _communications.LogAsync(rep, deal.Id, Call(), Cancel);

        var correctionId = await _communications.CorrectAsync(manager, originalId, new CorrectCommunicationInput { Summary = "Asked to move the delivery by two weeks." }, Cancel);

        var original = await EntryAsync(originalId);
        var correction = await EntryAsync(correctionId);
        Assert.Equal(("Asked to move the delivery by a week.", rep.UserId, (Guid?)null), (original.Summary, original.LoggedBy, original.CorrectsEntryId));
        Assert.Equal((originalId, "Asked to move the delivery by two weeks.", manager.UserId, original.OccurredAt, original.People),
            ((Guid)correction.CorrectsEntryId!, correction.Summary, correction.LoggedBy, correction.OccurredAt, correction.People));
        Assert.Equal(2, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task A_correction_that_says_the_same_or_nothing_is_refused()
    {
        var (rep, deal) = await ArrangeAsync();
        var originalId = await _communications.LogAsync(rep, deal.Id, Call(), Cancel);

        await Assert.ThrowsAsync<ValidationException>(() => _communications.CorrectAsync(rep, originalId, new CorrectCommunicationInput { Summary = "" }, Cancel));
        await Assert.ThrowsAsync<DomainException>(() => _communications.CorrectAsync(rep, originalId, new CorrectCommunicationInput { Summary = "Asked to move the delivery by a week." }, Cancel));

        Assert.Equal(1, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task A_raw_update_or_delete_of_a_logged_entry_is_refused_by_the_database()
    {
        var (rep, deal) = await ArrangeAsync();
        var id = await _communications.LogAsync(rep, deal.Id, Call(), Cancel);
        // As the owner: the app's role may not even try (see LeastPrivilegeTests); the trigger holds against the owner too.
        await using var db = database.CreateOwnerDbContext();

        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"UPDATE communication_entries SET summary = 'We never said that.' WHERE id = {id}", Cancel));
        await Assert.ThrowsAsync<PostgresException>(() =>
            db.Database.ExecuteSqlAsync($"DELETE FROM communication_entries WHERE id = {id}", Cancel));

        Assert.Contains("append-only", update.MessageText, StringComparison.Ordinal);
        Assert.Equal("Asked to move the delivery by a week.", (await EntryAsync(id)).Summary);
    }

    [Fact]
    public async Task Completing_a_touchpoint_writes_exactly_one_entry_and_marks_it_done_with_a_link_to_it()
    {
        Guid promiseId = default;
        var (rep, deal) = await ArrangeAsync(d => promiseId = AddPromise(d).Id);
        var checkIn = deal.Touchpoints.Single(t => t.Kind == TouchpointKind.CheckInBeforePromisedDate);

        var entryId = await _communications.CompleteTouchpointAsync(rep, deal.Id, checkIn.Id, Talk(), Cancel);

        var entry = Assert.Single(await EntriesAsync(deal.Id));
        var touchpoint = await TouchpointAsync(checkIn.Id);
        Assert.Equal(entryId, entry.Id);
        Assert.Equal((CommunicationChannel.Phone, CommunicationDirection.ToCustomer, "Hannah Berg", "On track for the promised date.", Later, promiseId),
            (entry.Channel, entry.Direction, entry.People, entry.Summary, entry.OccurredAt, (Guid)entry.CommitmentId!));
        Assert.Equal((entryId, rep.UserId, Later), ((Guid)touchpoint.CommunicationEntryId!, touchpoint.CompletedBy, (DateTimeOffset)touchpoint.CompletedAt!));
    }

    [Fact]
    public async Task A_touchpoint_completed_with_invalid_input_stays_open_and_nothing_is_logged()
    {
        var (rep, deal) = await ArrangeAsync();
        var touchpoint = deal.Touchpoints[0];
        var input = Talk();
        input.Summary = "";

        await Assert.ThrowsAsync<ValidationException>(() => _communications.CompleteTouchpointAsync(rep, deal.Id, touchpoint.Id, input, Cancel));

        Assert.True((await TouchpointAsync(touchpoint.Id)).IsOpen);
        Assert.Equal(0, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task A_touchpoint_done_already_is_refused_and_writes_no_second_entry()
    {
        var (rep, deal) = await ArrangeAsync();
        var touchpoint = deal.Touchpoints[0];
        await _communications.CompleteTouchpointAsync(rep, deal.Id, touchpoint.Id, Talk(), Cancel);

        var error = await Assert.ThrowsAsync<DomainException>(() => _communications.CompleteTouchpointAsync(rep, deal.Id, touchpoint.Id, Talk(), Cancel));

        Assert.Contains("already done", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task When_the_database_refuses_the_touchpoint_the_entry_is_not_written_either()
    {
        var (rep, deal) = await ArrangeAsync();
        var touchpoint = deal.Touchpoints[0];
        // A trigger that fails the touchpoint's update, after the entry's insert in the same save.
        // The SQL is built from the test's own ids, never from input.
        var create = "CREATE FUNCTION refuse_touchpoint() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.id = '" + touchpoint.Id +
            "' THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NEW; END $$;" +
            "CREATE TRIGGER refuse_touchpoint BEFORE UPDATE ON touchpoints FOR EACH ROW EXECUTE FUNCTION refuse_touchpoint();";
        const string drop = "DROP TRIGGER refuse_touchpoint ON touchpoints; DROP FUNCTION refuse_touchpoint();";
        await using (var db = database.CreateOwnerDbContext())
            await db.Database.ExecuteSqlRawAsync(create, Cancel);
        try
        {
            await Assert.ThrowsAsync<DbUpdateException>(() => _communications.CompleteTouchpointAsync(rep, deal.Id, touchpoint.Id, Talk(), Cancel));
        }
        finally
        {
            await using var db = database.CreateOwnerDbContext();
            await db.Database.ExecuteSqlRawAsync(drop, Cancel);
        }

        Assert.Equal(0, await CountEntriesAsync(deal.Id));
        Assert.True((await TouchpointAsync(touchpoint.Id)).IsOpen);
    }

    [Fact]
    public async Task The_satisfaction_call_of_a_paid_deal_can_still_be_done()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep, stage: DealStage.Paid);
        var satisfaction = deal.Touchpoints.Single(t => t.Kind == TouchpointKind.ConfirmSatisfaction);

        await _communications.CompleteTouchpointAsync(rep, deal.Id, satisfaction.Id, Talk(), Cancel);

        Assert.False((await TouchpointAsync(satisfaction.Id)).IsOpen);
        Assert.Equal(1, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task The_manager_of_the_reps_team_logs_corrects_and_completes_touchpoints()
    {
        var (rep, deal) = await ArrangeAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, await TeamOfAsync(rep));

        var id = await _communications.LogAsync(manager, deal.Id, Call(), Cancel);
        await _communications.CorrectAsync(manager, id, new CorrectCommunicationInput { Summary = "Corrected by the manager." }, Cancel);
        await _communications.CompleteTouchpointAsync(manager, deal.Id, deal.Touchpoints[0].Id, Talk(), Cancel);

        Assert.Equal(3, await CountEntriesAsync(deal.Id));
    }

    [Fact]
    public async Task To_a_rep_or_manager_of_another_team_the_deal_and_its_entries_do_not_exist()
    {
        var (rep, deal) = await ArrangeAsync();
        var id = await _communications.LogAsync(rep, deal.Id, Call(), Cancel);
        var otherTeam = await database.CreateTeamAsync();

        foreach (var stranger in new[] { await database.CreateAsync(AppRoles.Rep, otherTeam), await database.CreateAsync(AppRoles.Manager, otherTeam) })
        {
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _communications.LogAsync(stranger, deal.Id, Call(), Cancel));
            var correction = await Assert.ThrowsAsync<RecordNotFoundException>(() => _communications.CorrectAsync(stranger, id, new CorrectCommunicationInput { Summary = "Rewritten." }, Cancel));
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _communications.CompleteTouchpointAsync(stranger, deal.Id, deal.Touchpoints[0].Id, Talk(), Cancel));

            // Another team's entry and an entry that never existed get the same answer.
            var missing = await Assert.ThrowsAsync<RecordNotFoundException>(() => _communications.CorrectAsync(stranger, Guid.NewGuid(), new CorrectCommunicationInput { Summary = "Rewritten." }, Cancel));
            Assert.Equal(missing.Message, correction.Message);
        }
        Assert.Equal(1, await CountEntriesAsync(deal.Id));
        Assert.True((await TouchpointAsync(deal.Touchpoints[0].Id)).IsOpen);
    }

    [Fact]
    public async Task Service_staff_and_admins_cannot_write_to_the_log()
    {
        var (rep, deal) = await ArrangeAsync();
        var id = await _communications.LogAsync(rep, deal.Id, Call(), Cancel);

        foreach (var reader in new[] { await database.CreateAsync(AppRoles.Service, department: Department.Service), await database.CreateAsync(AppRoles.Admin) })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _communications.LogAsync(reader, deal.Id, Call(), Cancel));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _communications.CorrectAsync(reader, id, new CorrectCommunicationInput { Summary = "Rewritten." }, Cancel));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _communications.CompleteTouchpointAsync(reader, deal.Id, deal.Touchpoints[0].Id, Talk(), Cancel));
        }
        Assert.Equal(1, await CountEntriesAsync(deal.Id));
    }

    private static LogCommunicationInput Call() => new()
    {
        Channel = CommunicationChannel.Phone,
        Direction = CommunicationDirection.FromCustomer,
        People = " Hannah Berg, Ana Rep ",
        Summary = "Asked to move the delivery by a week.",
        OccurredOn = new DateTime(2026, 3, 2),
        OccurredAt = new TimeSpan(11, 15, 0),
    };

    private static CompleteTouchpointInput Talk() => new()
    {
        Channel = CommunicationChannel.Phone,
        People = "Hannah Berg",
        Summary = "On track for the promised date.",
    };

    private async Task<(Actor Rep, Deal Deal)> ArrangeAsync(Action<Deal>? arrange = null)
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        return (rep, await database.CreateDealAsync(rep, arrange: arrange));
    }

    private Task<Domain.Teams.Team> TeamOfAsync(Actor actor) =>
        database.QueryAsync(db => db.Teams.AsNoTracking().SingleAsync(t => t.Id == actor.TeamId, Cancel));

    private Task<CommunicationEntry> EntryAsync(Guid id) =>
        database.QueryAsync(db => db.CommunicationEntries.AsNoTracking().SingleAsync(e => e.Id == id, Cancel));

    private Task<List<CommunicationEntry>> EntriesAsync(Guid dealId) =>
        database.QueryAsync(db => db.CommunicationEntries.AsNoTracking().Where(e => e.DealId == dealId).ToListAsync(Cancel));

    private Task<int> CountEntriesAsync(Guid dealId) =>
        database.QueryAsync(db => db.CommunicationEntries.CountAsync(e => e.DealId == dealId, Cancel));

    private Task<Touchpoint> TouchpointAsync(Guid id) =>
        database.QueryAsync(db => db.Touchpoints.AsNoTracking().SingleAsync(t => t.Id == id, Cancel));
}
