using CommitmentTracker.Domain.Communications;

namespace CommitmentTracker.Domain.Tests;

public sealed class CommunicationEntryTests
{
    private static readonly Guid DealId = Guid.NewGuid();

    private static CommunicationEntry Log(DateTimeOffset? occurredAt = null, string people = "Eva Buyer", string summary = "Confirmed the ship date") =>
        CommunicationEntry.Log(DealId, null, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, people, summary, occurredAt ?? Build.Now.AddHours(-1), Build.Rep, Build.Now);

    [Fact]
    public void Logging_records_what_was_said_to_whom_and_when()
    {
        var entry = Log();

        Assert.Equal(
            (DealId, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, "Eva Buyer", "Confirmed the ship date", Build.Now.AddHours(-1), Build.Rep, Build.Now),
            (entry.DealId, entry.Channel, entry.Direction, entry.People, entry.Summary, entry.OccurredAt, entry.LoggedBy, entry.LoggedAt));
        Assert.Null(entry.CorrectsEntryId);
    }

    [Fact]
    public void A_communication_cannot_be_logged_in_the_future_beyond_a_few_minutes_of_clock_drift()
    {
        var ex = Assert.Throws<DomainException>(() => Log(Build.Now.AddMinutes(6)));

        Assert.Contains("future", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Build.Now.AddMinutes(5), Log(Build.Now.AddMinutes(5)).OccurredAt);
    }

    [Theory]
    [InlineData(" ", "Summary", "People")]
    [InlineData("Eva Buyer", "", "Summary")]
    public void An_entry_names_the_people_and_summarises_what_was_said(string people, string summary, string missing)
    {
        Assert.Equal($"{missing} is required.", Assert.Throws<DomainException>(() => Log(people: people, summary: summary)).Message);
    }

    [Fact]
    public void A_correction_is_a_new_entry_pointing_to_the_one_it_corrects()
    {
        var original = Log();
        var later = Build.Now.AddHours(3);

        var correction = original.CorrectWith("Confirmed the ship date as 14 March, not 12 March", Build.Manager, later);

        Assert.NotEqual(original.Id, correction.Id);
        Assert.Equal(original.Id, correction.CorrectsEntryId);
        Assert.Equal(
            (original.DealId, original.Channel, original.Direction, original.People, original.OccurredAt),
            (correction.DealId, correction.Channel, correction.Direction, correction.People, correction.OccurredAt));
        Assert.Equal(("Confirmed the ship date as 14 March, not 12 March", Build.Manager, later), (correction.Summary, correction.LoggedBy, correction.LoggedAt));
    }

    [Fact]
    public void A_correction_leaves_the_original_entry_as_it_was()
    {
        var original = Log();

        original.CorrectWith("Corrected", Build.Manager, Build.Now.AddHours(3));

        Assert.Equal(("Confirmed the ship date", Build.Rep, Build.Now, (Guid?)null), (original.Summary, original.LoggedBy, original.LoggedAt, original.CorrectsEntryId));
    }

    [Fact]
    public void A_correction_needs_a_summary()
    {
        Assert.Throws<DomainException>(() => Log().CorrectWith(" ", Build.Rep, Build.Now));
    }

    [Fact]
    public void A_correction_must_say_something_different_from_the_entry_it_corrects()
    {
        var ex = Assert.Throws<DomainException>(() => Log().CorrectWith(" Confirmed the ship date ", Build.Rep, Build.Now));

        Assert.Contains("says the same", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_can_be_about_one_promise()
    {
        var commitmentId = Guid.NewGuid();

        var entry = CommunicationEntry.Log(DealId, commitmentId, CommunicationChannel.Email, CommunicationDirection.FromCustomer, "Eva", "Asked for an update", Build.Now, Build.Rep, Build.Now);

        Assert.Equal(commitmentId, entry.CommitmentId);
        Assert.Equal(commitmentId, entry.CorrectWith("Asked for a written update", Build.Rep, Build.Now).CommitmentId);
    }
}
