using System.Globalization;
using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Risk;

/// <summary>
/// Decides how a promise of ours stands from its milestones, the customer's promises on the same deal, the settings
/// and the clock alone: the same inputs always give the same assessment.
/// </summary>
public static class RiskEvaluator
{
    private const int DescriptionInSentence = 80;

    /// <summary>
    /// Evaluates an open promise of ours (Open or Broken). Closed promises and the customer's own are on track.
    /// <paramref name="customerCommitments"/> are the customer's promises on the same deal; others are ignored.
    /// </summary>
    /// <remarks>
    /// <paramref name="chance"/> is the history's chance of keeping it from its current state; when low it adds a Watch reason
    /// (never more: the history describes similar promises, the other rules this one).
    /// </remarks>
    public static RiskAssessment Evaluate(Commitment commitment, IEnumerable<Commitment> customerCommitments, RiskSettings settings, DateTimeOffset now, KeepingChance? chance = null)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(customerCommitments);
        ArgumentNullException.ThrowIfNull(settings);
        if (commitment.Direction != CommitmentDirection.Ours || !IsOpen(commitment))
            return RiskAssessment.OnTrack;

        var today = DayOf(now);
        var promised = commitment.PromisedDate;
        var unfinished = commitment.Milestones.Where(m => !m.IsFinished).OrderBy(m => m.Position).ToList();
        var reasons = new List<RiskReason>();

        // Late
        if (today > promised)
            reasons.Add(new(RiskRule.Late, $"Not done and {Days(today.DayNumber - promised.DayNumber)} past the promised {Format(promised)}", promised.AddDays(1)));

        // AtRisk
        foreach (var milestone in unfinished)
        {
            var expected = milestone.ForecastDate ?? milestone.PlannedDate;
            if (expected <= promised)
                continue;
            var past = Days(expected.DayNumber - promised.DayNumber);
            var sentence = milestone.ForecastDate is { } forecast
                ? $"{milestone.Title} forecast {Format(forecast)} is {past} past the promised {Format(promised)}"
                : $"{milestone.Title} is planned for {Format(expected)}, {past} past the promised {Format(promised)}";
            var since = Since(commitment, milestone, u => (u.NewForecast ?? milestone.PlannedDate) > promised, promiseRelative: true);
            reasons.Add(new(RiskRule.ForecastPastPromise, sentence, since));
        }

        foreach (var milestone in unfinished.Where(m => m.Status == MilestoneStatus.Blocked))
        {
            var since = Since(commitment, milestone, u => u.NewStatus == MilestoneStatus.Blocked, promiseRelative: false);
            var sentence = $"{milestone.Title} is blocked since {Format(since)}";
            reasons.Add(new(RiskRule.Blocked, milestone.StatusReason is { } why ? $"{sentence}: {why}" : sentence, since));
        }

        var overdue = customerCommitments
            .Where(c => c.Direction == CommitmentDirection.Theirs && c.DealId == commitment.DealId && IsOpen(c) && today > c.PromisedDate)
            .OrderBy(c => c.PromisedDate);
        foreach (var theirs in overdue)
        {
            reasons.Add(new(
                RiskRule.CustomerOverdue,
                $"The customer's promise \"{Shorten(theirs.Description)}\" was due {Format(theirs.PromisedDate)} and is {Days(today.DayNumber - theirs.PromisedDate.DayNumber)} overdue",
                theirs.PromisedDate.AddDays(1),
                CustomerCaused: true));
        }

        // Watch
        var latest = unfinished.Where(m => m.ForecastDate is not null).MaxBy(m => m.ForecastDate);
        if (latest?.ForecastDate is { } latestForecast && IsNear(latestForecast))
        {
            var room = promised.DayNumber - latestForecast.DayNumber;
            var sentence = room == 0
                ? $"{latest.Title} forecast {Format(latestForecast)} is the promised date itself: no room for a slip"
                : $"{latest.Title} forecast {Format(latestForecast)} is only {Days(room)} before the promised {Format(promised)}";
            var since = Since(commitment, latest, u => u.NewForecast is { } f && IsNear(f), promiseRelative: true);
            reasons.Add(new(RiskRule.ForecastNearPromise, sentence, since));
        }

        foreach (var milestone in unfinished.Where(m => today > m.PlannedDate))
        {
            // Behind plan but the promise can still be met; otherwise Late or AtRisk already says so.
            var expected = milestone.ForecastDate ?? milestone.PlannedDate;
            if (today > promised || expected > promised)
                continue;
            var behind = $"{milestone.Title} was planned for {Format(milestone.PlannedDate)} and is {Days(today.DayNumber - milestone.PlannedDate.DayNumber)} behind plan";
            var sentence = milestone.ForecastDate is { } forecast
                ? $"{behind}; its forecast {Format(forecast)} still meets the promised {Format(promised)}"
                : $"{behind}; the promised {Format(promised)} is still reachable";
            reasons.Add(new(RiskRule.MilestoneBehindPlan, sentence, milestone.PlannedDate.AddDays(1)));
        }

        foreach (var milestone in unfinished.Where(m => m.Status == MilestoneStatus.InProgress))
        {
            // A milestone never updated is as old as the promise.
            var last = DayOf(milestone.LastUpdatedAt ?? commitment.CreatedAt);
            var idle = today.DayNumber - last.DayNumber;
            if (idle < settings.StaleAfterDays)
                continue;
            var sentence = milestone.LastUpdatedAt is null
                ? $"{milestone.Title} is in progress with no update for {Days(idle)} (none since the promise was logged {Format(last)})"
                : $"{milestone.Title} is in progress with no update for {Days(idle)} (last {Format(last)})";
            reasons.Add(new(RiskRule.Stale, sentence, last.AddDays(settings.StaleAfterDays)));
        }

        if (BehindSchedule(commitment, settings, today) is { } schedule)
            reasons.Add(schedule);

        // Only when the date has not passed: past it, Late already says more than any chance.
        if (chance is { IsLow: true } && today <= promised)
        {
            var percent = (int)Math.Round(chance.Probability * 100, MidpointRounding.AwayFromZero);
            reasons.Add(new(
                RiskRule.UnlikelyInTime,
                $"Only {percent}% of similar promises {Forecasts.PlanProgress.AtStage(chance.Stage)} finished by their date",
                DayOf(commitment.CreatedAt)));
        }

        if (reasons.Count == 0)
            return RiskAssessment.OnTrack;
        // OrderBy is stable: within a level the reasons keep the order of the rules above.
        var ordered = reasons.OrderByDescending(r => RiskRule.LevelOf(r.Rule)).ToList();
        return new(RiskRule.LevelOf(ordered[0].Rule), ordered);

        bool IsNear(DateOnly forecast) => promised.DayNumber - forecast.DayNumber is var room && room >= 0 && room <= settings.WatchWithinDays;
    }

    /// <summary>
    /// The first day after <paramref name="now"/> on which time alone changes <paramref name="assessment"/>: tomorrow when a
    /// reason counts days (late, overdue, behind plan, stale), else the first day a rule starts to hold or the schedule
    /// share moves on. Only conditions that would add or reword a reason count, so a sweep that looks at a promise on its
    /// day always finds something to store. Null when no date can change it (closed promises, the customer's own).
    /// </summary>
    public static DateOnly? ReviewOn(Commitment commitment, IEnumerable<Commitment> customerCommitments, RiskSettings settings, RiskAssessment assessment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        ArgumentNullException.ThrowIfNull(customerCommitments);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(assessment);
        if (commitment.Direction != CommitmentDirection.Ours || !IsOpen(commitment))
            return null;
        var today = DayOf(now);
        if (assessment.Reasons.Any(r => r.Rule is RiskRule.Late or RiskRule.CustomerOverdue or RiskRule.MilestoneBehindPlan or RiskRule.Stale))
            return today.AddDays(1);

        var promised = commitment.PromisedDate;
        var unfinished = commitment.Milestones.Where(m => !m.IsFinished).ToList();
        var candidates = new List<DateOnly> { promised.AddDays(1) };
        // A milestone falls behind plan only while its expected date still meets the promise (else AtRisk says it already).
        candidates.AddRange(unfinished.Where(m => (m.ForecastDate ?? m.PlannedDate) <= promised).Select(m => m.PlannedDate.AddDays(1)));
        candidates.AddRange(unfinished.Where(m => m.Status == MilestoneStatus.InProgress)
            .Select(m => DayOf(m.LastUpdatedAt ?? commitment.CreatedAt).AddDays(settings.StaleAfterDays)));
        candidates.AddRange(customerCommitments
            .Where(c => c.Direction == CommitmentDirection.Theirs && c.DealId == commitment.DealId && IsOpen(c))
            .Select(c => c.PromisedDate.AddDays(1)));
        if (NextScheduleChange(commitment, settings, today) is { } schedule)
            candidates.Add(schedule);
        var ahead = candidates.Where(d => d > today).ToList();
        return ahead.Count == 0 ? null : ahead.Min();
    }

    /// <summary>
    /// When the behind-schedule check next changes: the day it starts to hold, or, once it holds, the day its share of time
    /// passed reaches the next whole percent. None when enough milestones are finished (finishing more is a save, not time).
    /// </summary>
    private static DateOnly? NextScheduleChange(Commitment commitment, RiskSettings settings, DateOnly today)
    {
        var milestones = commitment.Milestones;
        if (milestones.Count == 0 || milestones.Count(m => m.IsFinished) >= settings.ScheduleDoneShare * milestones.Count)
            return null;
        var start = DayOf(commitment.CreatedAt);
        var total = commitment.PromisedDate.DayNumber - start.DayNumber;
        if (total <= 0)
            return null; // it holds from the start, and the promise is late the day after
        var begins = start.AddDays((int)Math.Ceiling(settings.ScheduleElapsedShare * total));
        if (today < begins)
            return begins;
        var percent = (int)Math.Floor(100m * (today.DayNumber - start.DayNumber) / total);
        return percent >= 100 ? null : start.AddDays((int)Math.Ceiling((percent + 1) * total / 100m));
    }

    /// <summary>Most of the time to the promised date has passed but too few milestones are finished.</summary>
    private static RiskReason? BehindSchedule(Commitment commitment, RiskSettings settings, DateOnly today)
    {
        var milestones = commitment.Milestones;
        if (milestones.Count == 0)
            return null;
        var start = DayOf(commitment.CreatedAt);
        var total = commitment.PromisedDate.DayNumber - start.DayNumber;
        var elapsed = today.DayNumber - start.DayNumber;
        var finished = milestones.Count(m => m.IsFinished);
        // Whole-day counts against decimal shares: exact at the edge (30 of 40 days is 75%, not 74.99...).
        var timeUp = total <= 0 ? elapsed >= 0 : elapsed >= settings.ScheduleElapsedShare * total;
        if (!timeUp || finished >= settings.ScheduleDoneShare * milestones.Count)
            return null;
        var since = total <= 0 ? start : start.AddDays((int)Math.Ceiling(settings.ScheduleElapsedShare * total));
        var percent = total <= 0 ? 100 : Math.Min(100, (int)Math.Floor(100m * elapsed / total));
        return new(
            RiskRule.BehindSchedule,
            $"{percent}% of the time to the promised {Format(commitment.PromisedDate)} has passed with {finished} of {milestones.Count} milestones finished",
            since);
    }

    /// <summary>
    /// The day a milestone condition began, as far as its updates tell: the first of the latest run of updates in which it
    /// held. When no update brought it about (a plan edit, or no updates yet) the last thing we know changed is used.
    /// A condition measured against the promised date began no earlier than the last renegotiation of that date.
    /// </summary>
    private static DateOnly Since(Commitment commitment, Milestone milestone, Func<MilestoneUpdate, bool> holds, bool promiseRelative)
    {
        var updates = milestone.Updates.OrderBy(u => u.At).ToList();
        DateTimeOffset? runStart = null;
        for (var i = updates.Count - 1; i >= 0 && holds(updates[i]); i--)
            runStart = updates[i].At;

        var since = runStart ?? (updates.Count > 0 ? Later(commitment.CreatedAt, updates[^1].At) : commitment.CreatedAt);
        if (promiseRelative && commitment.DateHistory.Count > 0)
            since = Later(since, commitment.DateHistory.Max(h => h.At));
        return DayOf(since);
    }

    private static bool IsOpen(Commitment commitment) => commitment.Status is CommitmentStatus.Open or CommitmentStatus.Broken;

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    private static string Format(DateOnly date) => date.ToString("d MMM", CultureInfo.InvariantCulture);

    private static string Days(int count) => count == 1 ? "1 day" : $"{count} days";

    private static string Shorten(string text) =>
        text.Length <= DescriptionInSentence ? text : string.Concat(text.AsSpan(0, DescriptionInSentence - 1).TrimEnd(), "…");
}
