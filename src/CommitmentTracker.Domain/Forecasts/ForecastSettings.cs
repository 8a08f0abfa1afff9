namespace CommitmentTracker.Domain.Forecasts;

/// <summary>How the promise forecast chooses its history and when a date counts as aggressive (Admin for the probability).</summary>
public sealed record ForecastSettings
{
    private readonly int _minimumGroupSize = 30;
    private readonly int _windowMonths = 24;
    private readonly decimal _minimumProbability = 0.70m;

    public static ForecastSettings Defaults { get; } = new();

    /// <summary>A reference group with fewer promises than this is too thin: the next broader group is used.</summary>
    public int MinimumGroupSize
    {
        get => _minimumGroupSize;
        init => _minimumGroupSize = value is >= 1 and <= 10_000 ? value : throw new DomainException("A reference group needs between 1 and 10,000 promises.");
    }

    /// <summary>Only promises made in this many months before today are used.</summary>
    public int WindowMonths
    {
        get => _windowMonths;
        init => _windowMonths = value is >= 1 and <= 120 ? value : throw new DomainException("The history window must be between 1 and 120 months.");
    }

    /// <summary>A promised date whose chance of holding is below this (0.70 = 70%) is aggressive, like one inside the lead time.</summary>
    public decimal MinimumProbability
    {
        get => _minimumProbability;
        init => _minimumProbability = value is >= 0m and <= 1m ? value : throw new DomainException("The minimum chance must be between 0% and 100%.");
    }
}
