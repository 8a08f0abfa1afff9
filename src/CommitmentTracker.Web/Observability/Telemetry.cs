using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CommitmentTracker.Web.Observability;

/// <summary>
/// The app's own traces and metrics (source and meter "CommitmentTracker"), beside what ASP.NET Core, Blazor and Npgsql
/// report themselves: what an operator asks of a commitment tracker (are alerts found and mailed, how long after; does the
/// sweep run and what does it change; do mails fail).
/// </summary>
public static class Telemetry
{
    public const string Name = "CommitmentTracker";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Alerts written to the outbox (one per recipient), by level.</summary>
    public static readonly Counter<long> AlertsDetected =
        Meter.CreateCounter<long>("commitmenttracker.alerts.detected", "{alert}", "Alerts written: a promise rose to at risk or late, one per recipient.");

    /// <summary>Alerts mailed, with the time from detection to the mail leaving.</summary>
    public static readonly Histogram<double> AlertMailLatency =
        Meter.CreateHistogram<double>("commitmenttracker.alerts.mail_latency", "s", "Time from an alert's detection to its mail being accepted by the SMTP server.");

    /// <summary>Mails that could not be sent (alerts and digests), by kind.</summary>
    public static readonly Counter<long> MailFailures =
        Meter.CreateCounter<long>("commitmenttracker.mail.failures", "{mail}", "Mails the SMTP server did not accept (alerts, digests).");

    /// <summary>How long one risk sweep took.</summary>
    public static readonly Histogram<double> SweepDuration =
        Meter.CreateHistogram<double>("commitmenttracker.sweep.duration", "s", "Duration of one risk sweep on this instance.");

    /// <summary>Promises whose risk level a sweep changed.</summary>
    public static readonly Counter<long> SweepPromisesChanged =
        Meter.CreateCounter<long>("commitmenttracker.sweep.promises_changed", "{promise}", "Promises whose risk level the sweep changed.");

    /// <summary>Webhook deliveries that failed (an error or a non-2xx answer).</summary>
    public static readonly Counter<long> WebhookFailures =
        Meter.CreateCounter<long>("commitmenttracker.webhooks.failures", "{delivery}", "Webhook delivery attempts that failed.");

    /// <summary>
    /// The W3C trace parent of the current activity, kept with an outbox row so the work done later for it (the alert mail)
    /// joins the trace of the change that caused it.
    /// </summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>Starts an activity that continues the trace kept in <paramref name="traceParent"/> (a new trace if there is none).</summary>
    public static Activity? StartContinuing(string name, string? traceParent, ActivityKind kind = ActivityKind.Internal) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);
}
