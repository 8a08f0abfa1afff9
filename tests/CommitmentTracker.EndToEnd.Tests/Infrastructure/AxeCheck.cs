using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Runs axe-core (Deque.AxeCore.Playwright) on the page as it is and describes every serious or critical violation:
/// the rule, where (the page and what is open), and the elements' selectors, so a failure says what to fix.
/// </summary>
public static class AxeCheck
{
    private static readonly HashSet<string> Blocking = new(StringComparer.OrdinalIgnoreCase) { "serious", "critical" };

    /// <summary>The WCAG 2.0/2.1/2.2 A and AA rules plus axe's best practices (landmarks, headings, region).</summary>
    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions
        {
            Type = "tag",
            Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        },
    };

    /// <summary>Serious and critical violations on the page, one line each; empty when there are none.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(this IPage page, string where)
    {
        ArgumentNullException.ThrowIfNull(page);
        var result = await page.RunAxe(Options);
        return [.. result.Violations
            .Where(v => v.Impact is not null && Blocking.Contains(v.Impact))
            .Select(v => $"{where}: {v.Impact} {v.Id} ({v.Help}) at " +
                string.Join(" | ", v.Nodes.Take(6).Select(n => $"{n.Target} {Shorten(Why(n))}")) +
                (v.Nodes.Length > 6 ? $" and {v.Nodes.Length - 6} more" : ""))];
    }

    /// <summary>
    /// Waits until the page has rendered its content in the circuit: a heading is there and no loading bar or table
    /// loading row remains (the app does not prerender, so a page first shows a progress bar).
    /// </summary>
    public static Task WaitForContentAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.WaitForFunctionAsync(
            "() => document.querySelector('h1') !== null && document.querySelector('main .mud-progress-linear, main .mud-table-loading, main .mud-skeleton') === null");
    }

    private static string? Why(AxeResultNode node) =>
        (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(check => check.Message).FirstOrDefault();

    private static string Shorten(string? text)
    {
        var oneLine = (text ?? "").ReplaceLineEndings(" ");
        return oneLine.Length <= 160 ? oneLine : oneLine[..160] + "…";
    }
}
