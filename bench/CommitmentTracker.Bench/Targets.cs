using System.Text.Json;

namespace CommitmentTracker.Bench;

/// <summary>The mean time and allocated memory per call one benchmark must stay under.</summary>
internal sealed record BenchTarget(string Benchmark, string What, double MeanMs, double AllocatedKB);

/// <summary>The targets of every benchmark, kept in one file beside the benchmarks.</summary>
internal static class Targets
{
    /// <summary>Where the targets live, as people find them in the repository.</summary>
    public const string Location = "bench/CommitmentTracker.Bench/targets.json";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyList<BenchTarget> Load(string path)
    {
        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<TargetsFile>(stream, Options)
            ?? throw new InvalidOperationException($"{path} holds no targets.");
        return file.Targets;
    }

    private sealed record TargetsFile(IReadOnlyList<BenchTarget> Targets);
}
