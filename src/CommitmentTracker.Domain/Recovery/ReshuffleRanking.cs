using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Recovery;

/// <summary>
/// Which other promises could give up days for one that slips: same kind, open, with slack (need date, else promised
/// date, minus forecast) covering the days needed, and not at risk themselves afterwards (forecast + days still on or
/// before their promised date). Ranked by slack (most first), then the smaller deal, then id so ties are stable.
/// </summary>
public static class ReshuffleRanking
{
    public static IReadOnlyList<ReshuffleCandidate> Candidates(
        int needDays, CommitmentKind kind, IEnumerable<ReshuffleCandidateInput> others, Guid? excludingCommitmentId = null)
    {
        ArgumentNullException.ThrowIfNull(others);
        if (needDays < 1)
            throw new DomainException("The days needed must be at least 1.");
        Guard.Defined(kind, "Kind");

        return others
            .Where(o => o.Kind == kind && o.Status == CommitmentStatus.Open && o.CommitmentId != excludingCommitmentId)
            .Select(o => (Input: o, Slack: (o.NeedDate ?? o.PromisedDate).DayNumber - o.Forecast.DayNumber))
            .Where(x => x.Slack - needDays >= 0 && x.Input.Forecast.AddDays(needDays) <= x.Input.PromisedDate)
            .OrderByDescending(x => x.Slack)
            .ThenBy(x => x.Input.DealValue)
            .ThenBy(x => x.Input.CommitmentId)
            .Select(x => new ReshuffleCandidate(x.Input.CommitmentId, x.Slack, x.Slack - needDays, x.Input.Forecast.AddDays(needDays), x.Input.DealValue))
            .ToList();
    }
}
