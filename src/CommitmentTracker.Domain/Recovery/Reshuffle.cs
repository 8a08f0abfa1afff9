using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Recovery;

/// <summary>
/// A reshuffle: a promise in trouble takes the days it needs from another customer's delivery of the same kind that
/// has the slack. Both promises are re-planned and the other customer must be told.
/// </summary>
public static class Reshuffle
{
    /// <summary>
    /// The days a promise needs: its forecast past the promised date, or past today once that date has passed (the best
    /// a late promise can do is now); at least one.
    /// </summary>
    public static int DaysNeeded(Commitment commitment, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        var forecast = commitment.Forecast ?? commitment.PromisedDate;
        var target = commitment.PromisedDate < today ? today : commitment.PromisedDate;
        return Math.Max(1, forecast.DayNumber - target.DayNumber);
    }

    /// <summary>When the promise is expected once it took <paramref name="days"/> (never before today).</summary>
    public static DateOnly ForecastAfter(Commitment commitment, int days, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        var after = (commitment.Forecast ?? commitment.PromisedDate).AddDays(-days);
        return after < today ? today : after;
    }

    /// <summary>Why a reshuffle cannot help this promise, or null when it can: days from elsewhere do not remove a blocker.</summary>
    public static string? WhyItCannotHelp(Commitment commitment)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        if (commitment.IsClosed)
            return "The promise is closed.";
        if (commitment.Milestones.FirstOrDefault(m => m.Status == MilestoneStatus.Blocked) is { } blocked)
            return $"\"{blocked.Title}\" is blocked: days taken from another delivery do not remove a blocker. Solve the blocker, or pick another option.";
        return commitment.Forecast is null ? "The promise has no unfinished milestone to re-plan." : null;
    }

    /// <summary>What the ranking needs to know of a promise that might give up days; null if it has nothing to re-plan.</summary>
    public static ReshuffleCandidateInput? InputOf(Commitment commitment, decimal dealValue)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        return commitment.Forecast is { } forecast
            ? new ReshuffleCandidateInput(commitment.Id, commitment.Kind, commitment.Status, commitment.PromisedDate, commitment.NeedDate, forecast, dealValue)
            : null;
    }

    /// <summary>
    /// Carries the swap out on both promises: <paramref name="ours"/> is re-planned <paramref name="days"/> earlier,
    /// the other promise of <paramref name="otherDeal"/> as many days later, each with a note in its milestones' history,
    /// and the other deal gets a touchpoint to tell its customer. Refused when the other promise cannot give the days.
    /// </summary>
    public static void Swap(Commitment ours, Deal otherDeal, Guid otherCommitmentId, int days, string byUserId, DateTimeOffset now, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(otherDeal);
        var other = otherDeal.Commitment(otherCommitmentId);
        if (WhyItCannotHelp(ours) is { } why)
            throw new DomainException(why);
        if (other.Id == ours.Id)
            throw new DomainException("A promise cannot be reshuffled with itself.");
        if (ours.Direction != CommitmentDirection.Ours || other.Direction != CommitmentDirection.Ours)
            throw new DomainException("Only our own promises can be reshuffled.");
        if (other.Kind != ours.Kind)
            throw new DomainException("A reshuffle takes days from a promise of the same kind.");
        if (other.Status != CommitmentStatus.Open)
            throw new DomainException("The other promise is no longer open, so it cannot give up days.");
        if (other.RiskLevel is RiskLevel.AtRisk or RiskLevel.Late)
            throw new DomainException("The other promise is at risk itself now, so it cannot give up days. Choose another option.");
        var input = InputOf(other, otherDeal.Value.Amount)
            ?? throw new DomainException("The other promise has no unfinished milestone, so its dates cannot be re-planned.");
        if (ReshuffleRanking.Candidates(days, ours.Kind, [input]).Count == 0)
            throw new DomainException($"The other promise does not have {days} days of slack to give without becoming at risk itself.");

        ours.ShiftForecast(-days, $"Reshuffle: {days} days taken from another customer's delivery with slack (\"{Shorten(other.Description)}\").", byUserId, now, today);
        other.ShiftForecast(days, $"Reshuffle: {days} days given to a promise in trouble (\"{Shorten(ours.Description)}\"); the customer is to be told.", byUserId, now, today);
        otherDeal.AddReshuffleTouchpoint(other.Id, today);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..79] + "…";
}
