using System.Globalization;
using System.Text;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Persistence;
using MimeKit;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>Who a mail goes to, and the time zone they read times in (null: UTC).</summary>
public sealed record MailRecipient(string Name, string Email, string? TimeZone = null);

/// <summary>The words of the alert mail and the daily digest: plain text, short, with a link to act on.</summary>
public static class AlertMails
{
    public static MimeMessage Alert(PublicAddress links, MailboxAddress from, MailRecipient to, Alert alert, string dealTitle, string? accountName, Guid? recoveryPlanId = null)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(alert);
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Hello {to.Name},")
            .AppendLine()
            .AppendLine(alert.Title)
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"Why: {(alert.Reasons.Length > 0 ? alert.Reasons : "see the promise on the deal page")}")
            .AppendLine(CultureInfo.InvariantCulture, $"Deal: {dealTitle}{(accountName is null ? "" : $", {accountName}")}")
            .AppendLine(CultureInfo.InvariantCulture, $"Detected: {TimeFormat.DateTime(alert.DetectedAt, ZoneOf(to.TimeZone))}")
            .AppendLine()
            .AppendLine(recoveryPlanId is { } planId
                ? $"Open the recovery plan (what to do now, step by step): {links.RecoveryPlanLink(planId)}"
                : $"Open the deal: {links.DealLink(alert.DealId)}")
            .AppendLine()
            .AppendLine("Tell the customer early, with options: a problem they hear of from us first is one they forgive.")
            .AppendLine("You get this mail because you own the promise or the deal, or manage its rep.");
        return Message(from, to, alert.Title, body.ToString());
    }

    public static MimeMessage Digest(PublicAddress links, MailboxAddress from, ManagerDigest digest)
    {
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(digest);
        var late = digest.Promises.Count(p => p.Level == RiskLevel.Late);
        var atRisk = digest.Promises.Count - late;
        var subject = $"At-risk promises of your team, {digest.Date.ToString("d MMM", CultureInfo.InvariantCulture)}: {late} late, {atRisk} at risk";
        var body = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Hello {digest.ManagerName},")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{digest.Promises.Count} promise{(digest.Promises.Count == 1 ? "" : "s")} of your team need{(digest.Promises.Count == 1 ? "s" : "")} attention today, the most urgent first:")
            .AppendLine();
        foreach (var promise in digest.Promises)
        {
            var days = promise.Since is { } since ? (int)(digest.Date.DayNumber - DateOnly.FromDateTime(since.UtcDateTime).DayNumber) : 0;
            body.AppendLine(CultureInfo.InvariantCulture, $"{(promise.Level == RiskLevel.Late ? "LATE" : "AT RISK")}: {promise.Description}")
                .AppendLine(CultureInfo.InvariantCulture, $"  {promise.AccountName}, {promise.DealTitle}; rep {promise.RepName}; promised {TimeFormat.Day(promise.PromisedDate)}; detected {(days <= 0 ? "today" : days == 1 ? "1 day ago" : $"{days} days ago")}");
            foreach (var reason in promise.Reasons)
                body.AppendLine(CultureInfo.InvariantCulture, $"  - {reason}");
            body.AppendLine(CultureInfo.InvariantCulture, $"  {links.DealLink(promise.DealId)}")
                .AppendLine();
        }
        body.AppendLine("You get this digest once a day as the manager of the team.");
        return Message(from, new MailRecipient(digest.ManagerName, digest.Email ?? ""), subject, body.ToString());
    }

    private static TimeZoneInfo ZoneOf(string? zoneId) => TimeZoneIds.TryFind(zoneId, out var zone) ? zone : TimeZoneInfo.Utc;

    private static MimeMessage Message(MailboxAddress from, MailRecipient to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(new MailboxAddress(to.Name, to.Email));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }
}
