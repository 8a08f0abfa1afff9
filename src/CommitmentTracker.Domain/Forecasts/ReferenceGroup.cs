using System.Globalization;
using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Forecasts;

/// <summary>The size of the deal a promise belongs to, by its value (whatever the currency: a rough band, not a price).</summary>
public enum ValueBand { Under10k, From10kTo100k, From100kTo1M, Over1M }

/// <summary>How narrowly the reference group matches the promise, finest first.</summary>
public enum ReferenceLevel { Similar, KindAndDepartment, Kind, All }

/// <summary>What the forecast knows of a promise when choosing similar ones.</summary>
public sealed record ForecastSubject(CommitmentKind Kind, Department Department, ValueBand ValueBand, int MilestoneCount);

/// <summary>
/// A group of past promises a forecast is estimated from. Each promise belongs to one group per level; the finest group
/// with enough promises is used (see <see cref="PromiseForecaster"/>). With a <see cref="Stage"/>, the group's promises
/// are timed from the day their plan reached that stage instead of from the day they were made.
/// </summary>
public sealed record ReferenceGroup(ReferenceLevel Level, CommitmentKind? Kind, Department? Department, ValueBand? ValueBand, int? MilestoneCount, PlanStage? Stage = null)
{
    /// <summary>Deals of at least these values fall in the next band.</summary>
    public static decimal[] BandEdges { get; } = [10_000m, 100_000m, 1_000_000m];

    public static ValueBand BandOf(decimal dealValue) =>
        dealValue < BandEdges[0] ? Forecasts.ValueBand.Under10k
        : dealValue < BandEdges[1] ? Forecasts.ValueBand.From10kTo100k
        : dealValue < BandEdges[2] ? Forecasts.ValueBand.From100kTo1M
        : Forecasts.ValueBand.Over1M;

    /// <summary>Plans longer than this count as this many milestones (a group per length would be too thin).</summary>
    public const int MilestoneCountCap = 8;

    public static int CappedMilestones(int count) => Math.Clamp(count, 0, MilestoneCountCap);

    public static ReferenceGroup Of(ReferenceLevel level, ForecastSubject subject, PlanStage? stage = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return level switch
        {
            ReferenceLevel.Similar => new(level, subject.Kind, subject.Department, subject.ValueBand, CappedMilestones(subject.MilestoneCount), stage),
            ReferenceLevel.KindAndDepartment => new(level, subject.Kind, subject.Department, null, null, stage),
            ReferenceLevel.Kind => new(level, subject.Kind, null, null, null, stage),
            _ => new(ReferenceLevel.All, null, null, null, null, stage),
        };
    }

    /// <summary>The groups to try for a promise, finest first; with a stage, the groups timed from it.</summary>
    public static IReadOnlyList<ReferenceGroup> ChainFor(ForecastSubject subject, PlanStage? stage = null) =>
        [.. Enum.GetValues<ReferenceLevel>().Select(level => Of(level, subject, stage))];

    /// <summary>A stable text key for storing the group's curve (a stage adds a sixth part).</summary>
    public string Key => string.Join('|', new[]
    {
        Level.ToString(),
        Kind?.ToString() ?? "*",
        Department?.ToString() ?? "*",
        ValueBand?.ToString() ?? "*",
        MilestoneCount?.ToString(CultureInfo.InvariantCulture) ?? "*",
    }.Concat(Stage is { } stage ? [stage.ToString()] : []));

    /// <summary>The group in words, for a count of its promises: "214 installation promises of the Service department".</summary>
    public string Describe(int promises)
    {
        var what = Kind is { } kind ? $"{kind.ToString().ToLowerInvariant()} promise{(promises == 1 ? "" : "s")}" : $"promise{(promises == 1 ? "" : "s")} of all kinds";
        var text = $"{promises.ToString("N0", CultureInfo.InvariantCulture)} {what}";
        if (Department is { } department)
            text += $" of the {department} department";
        if (ValueBand is { } band)
            text += $" on deals {BandText(band)}";
        if (MilestoneCount is { } count)
            text += count == 0 ? " without a milestone plan" : $" with {(count >= MilestoneCountCap ? $"{MilestoneCountCap} or more" : count.ToString(CultureInfo.InvariantCulture))} milestone{(count == 1 ? "" : "s")}";
        if (Stage is { } stage)
            text += $", {PlanProgress.Describe(stage)}";
        return text;
    }

    public static string BandText(ValueBand band) => band switch
    {
        Forecasts.ValueBand.Under10k => "under 10,000",
        Forecasts.ValueBand.From10kTo100k => "of 10,000 to 100,000",
        Forecasts.ValueBand.From100kTo1M => "of 100,000 to 1 million",
        _ => "over 1 million",
    };
}
