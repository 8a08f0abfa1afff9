using System.Runtime.CompilerServices;
using Bunit;

namespace CommitmentTracker.Web.Tests.Infrastructure;

/// <summary>
/// How long a component test waits for a condition (WaitForAssertion, WaitForState, WaitForElement). bUnit's default,
/// one second, failed on a loaded machine: a page that loads from the real database needs more than that to render when
/// both cores are busy. A wait returns as soon as its condition holds, so a generous limit costs nothing when all is well.
/// </summary>
internal static class ComponentWaits
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [ModuleInitializer]
    internal static void UseGenerousWaits() => BunitContext.DefaultWaitTimeout = Timeout;
}
