using System.Globalization;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Scale.Generation;

/// <summary>
/// Risk reasons worded exactly as <see cref="RiskEvaluator"/> words them (rule codes, sentences, since days), so the
/// generated rows read like the app's own and the JSON has the shape its value converter writes.
/// </summary>
internal static class RiskText
{
    public static RiskReason Late(DateOnly promised, DateOnly today) =>
        new(RiskRule.Late, $"Not done and {Days(today.DayNumber - promised.DayNumber)} past the promised {Format(promised)}", promised.AddDays(1));

    public static RiskReason ForecastPastPromise(string milestone, DateOnly forecast, DateOnly promised, DateOnly since) =>
        new(RiskRule.ForecastPastPromise, $"{milestone} forecast {Format(forecast)} is {Days(forecast.DayNumber - promised.DayNumber)} past the promised {Format(promised)}", since);

    public static RiskReason Blocked(string milestone, string why, DateOnly since) =>
        new(RiskRule.Blocked, $"{milestone} is blocked since {Format(since)}: {why}", since);

    public static RiskReason CustomerOverdue(string description, DateOnly due, DateOnly today) =>
        new(RiskRule.CustomerOverdue, $"The customer's promise \"{Shorten(description)}\" was due {Format(due)} and is {Days(today.DayNumber - due.DayNumber)} overdue", due.AddDays(1), CustomerCaused: true);

    public static RiskReason ForecastNearPromise(string milestone, DateOnly forecast, DateOnly promised, DateOnly since)
    {
        var room = promised.DayNumber - forecast.DayNumber;
        var sentence = room == 0
            ? $"{milestone} forecast {Format(forecast)} is the promised date itself: no room for a slip"
            : $"{milestone} forecast {Format(forecast)} is only {Days(room)} before the promised {Format(promised)}";
        return new(RiskRule.ForecastNearPromise, sentence, since);
    }

    public static RiskReason BehindPlan(string milestone, DateOnly planned, DateOnly promised, DateOnly today) =>
        new(RiskRule.MilestoneBehindPlan, $"{milestone} was planned for {Format(planned)} and is {Days(today.DayNumber - planned.DayNumber)} behind plan; the promised {Format(promised)} is still reachable", planned.AddDays(1));

    public static RiskReason Stale(string milestone, DateOnly lastUpdate, DateOnly today, int staleAfterDays) =>
        new(RiskRule.Stale, $"{milestone} is in progress with no update for {Days(today.DayNumber - lastUpdate.DayNumber)} (last {Format(lastUpdate)})", lastUpdate.AddDays(staleAfterDays));

    public static RiskReason BehindSchedule(int percent, DateOnly promised, int finished, int milestones, DateOnly since) =>
        new(RiskRule.BehindSchedule, $"{percent}% of the time to the promised {Format(promised)} has passed with {finished} of {milestones} milestones finished", since);

    /// <summary>The alert's text for a rise: every reason as a sentence (<see cref="PromiseRose.ReasonsText"/>).</summary>
    public static string AlertText(IEnumerable<RiskReason> reasons) => string.Join(" ", reasons.Select(r => r.Sentence.TrimEnd('.') + "."));

    private static string Format(DateOnly date) => date.ToString("d MMM", CultureInfo.InvariantCulture);

    private static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 79).TrimEnd(), "…");
}
