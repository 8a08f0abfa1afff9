namespace CommitmentTracker.Web.Features.Webhooks;

/// <summary>Settings of webhook delivery (section "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Accept plain http addresses on this machine (loopback): for development and tests only; https otherwise.</summary>
    public bool AllowHttpLoopback { get; set; }

    /// <summary>How long one delivery may take before it counts as failed.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How often the dispatcher looks for due retries when no change wakes it.</summary>
    public int PollSeconds { get; set; } = 15;
}
