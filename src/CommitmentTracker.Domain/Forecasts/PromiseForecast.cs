using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Forecasts;

/// <summary>
/// What the history says about a promised date: the chance it holds and the dates that hold with 50, 80 and 90%
/// probability, with the one-sentence basis. Without enough history it is the lead-time setting (no chance, no dates
/// but <see cref="LeadTimeDate"/>).
/// </summary>
public sealed record PromiseForecast(
    ReferenceGroup? Group,
    int GroupSize,
    double? Probability,
    DateOnly? Date50,
    DateOnly? Date80,
    DateOnly? Date90,
    DateOnly? LeadTimeDate,
    string Basis,
    string? Fallback)
{
    /// <summary>The estimate comes from history (not the lead-time setting).</summary>
    public bool FromHistory => Group is not null;

    /// <summary>Whether the estimate had to use a broader group than the finest one, or the lead time.</summary>
    public bool FellBack => Fallback is not null;

    /// <summary>The chance is known and below the minimum: the date is aggressive.</summary>
    public bool IsBelow(decimal minimum) => Probability is { } p && ForecastChance.IsTooLow(p, minimum);
}
