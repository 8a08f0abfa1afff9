using System.Diagnostics;
using CommitmentTracker.Web.Security;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>
/// A service user saving milestone notes from the queue, one after another, while the sweep runs (and, for comparison, with
/// nothing else running): the sweep must not hold them up by more than <see cref="Targets.SaveBlockedMs"/>.
/// </summary>
internal sealed class SavesWhileSweeping(PageCalls calls, Actor staff, IReadOnlyList<Guid> milestones)
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);
    private int _next;

    public async Task IdleAsync(List<double> timings, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
            await SaveAsync(timings, cancellationToken);
    }

    /// <summary>Saves until cancelled; returns how many saves were refused (a conflict with the sweep's write would be one).</summary>
    public async Task<int> WhileAsync(List<double> timings, CancellationToken stop)
    {
        var refused = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (!await SaveAsync(timings, stop))
                    refused++;
                await Task.Delay(Pause, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        return refused;
    }

    private async Task<bool> SaveAsync(List<double> timings, CancellationToken cancellationToken)
    {
        if (milestones.Count == 0)
            throw new InvalidOperationException("service@demo.local has no milestone in progress to save.");
        var milestone = milestones[_next++ % milestones.Count];
        var version = await calls.MilestoneVersionAsync(milestone, cancellationToken);
        var clock = Stopwatch.StartNew();
        try
        {
            await calls.SaveMilestoneNoteAsync(staff, milestone, version, CancellationToken.None);
            timings.Add(Math.Round(clock.Elapsed.TotalMilliseconds, 1));
            return true;
        }
        catch (Exception ex) when (ex is Web.Persistence.ConcurrencyConflictException or Domain.DomainException or FluentValidation.ValidationException)
        {
            Console.WriteLine($"    save refused: {ex.Message}");
            return false;
        }
    }
}
