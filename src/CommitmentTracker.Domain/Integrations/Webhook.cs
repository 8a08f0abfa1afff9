using System.Net;
using System.Security.Cryptography;

namespace CommitmentTracker.Domain.Integrations;

/// <summary>What a webhook can be told of; <see cref="WebhookEvents.WireName"/> is the name in the delivery.</summary>
public enum WebhookEvent
{
    PromiseAtRisk,
    PromiseLate,
    PromiseKept,
    PromiseBroken,
    DealStageChanged,
    RecoveryPlanOpened,
    RecoveryPlanClosed,
}

/// <summary>The events' names on the wire and on screen.</summary>
public static class WebhookEvents
{
    public static IReadOnlyList<WebhookEvent> All { get; } = Enum.GetValues<WebhookEvent>();

    /// <summary>The <c>type</c> of a delivery's body, e.g. <c>promise.at_risk</c>.</summary>
    public static string WireName(WebhookEvent e) => e switch
    {
        WebhookEvent.PromiseAtRisk => "promise.at_risk",
        WebhookEvent.PromiseLate => "promise.late",
        WebhookEvent.PromiseKept => "promise.kept",
        WebhookEvent.PromiseBroken => "promise.broken",
        WebhookEvent.DealStageChanged => "deal.stage_changed",
        WebhookEvent.RecoveryPlanOpened => "recovery_plan.opened",
        WebhookEvent.RecoveryPlanClosed => "recovery_plan.closed",
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    public static string Label(WebhookEvent e) => e switch
    {
        WebhookEvent.PromiseAtRisk => "Promise at risk",
        WebhookEvent.PromiseLate => "Promise late",
        WebhookEvent.PromiseKept => "Promise kept",
        WebhookEvent.PromiseBroken => "Promise broken",
        WebhookEvent.DealStageChanged => "Deal stage changed",
        WebhookEvent.RecoveryPlanOpened => "Recovery plan opened",
        WebhookEvent.RecoveryPlanClosed => "Recovery plan closed",
        _ => e.ToString(),
    };
}

/// <summary>
/// An address another system gave us to be told of events (a CRM, a chat bot). Deliveries to it are signed with its
/// secret (HMAC-SHA256), which is shown to the admin once, when the hook is created or the secret rotated. Only https
/// addresses are accepted, except plain http to this machine (loopback) where the host allows it (development, tests).
/// </summary>
public sealed class Webhook
{
    public const int UrlLength = 2000;
    public const int SecretPrefixLength = 6;

    private List<WebhookEvent> _events = [];

    private Webhook() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Url { get; private set; } = "";
    public IReadOnlyList<WebhookEvent> Events => _events;
    public bool IsActive { get; private set; }

    /// <summary>The signing secret; readable by the app because signing needs it (HMAC is symmetric).</summary>
    public string Secret { get; private set; } = "";

    public DateTimeOffset SecretCreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>The first characters of the secret, to tell which one a receiver holds without showing it.</summary>
    public string SecretHint => Secret.Length > SecretPrefixLength + 4 ? Secret[..(SecretPrefixLength + 4)] + "…" : "";

    public bool IsSubscribedTo(WebhookEvent e) => IsActive && _events.Contains(e);

    public static Webhook Create(string name, string url, IEnumerable<WebhookEvent> events, bool isActive, bool allowHttpLoopback, string createdBy, DateTimeOffset now)
    {
        var hook = new Webhook
        {
            Id = Guid.NewGuid(),
            CreatedBy = Guard.Required(createdBy, "Created by", FieldLengths.UserId),
            CreatedAt = now,
        };
        hook.Change(name, url, events, isActive, allowHttpLoopback);
        hook.RotateSecret(now);
        return hook;
    }

    public void Change(string name, string url, IEnumerable<WebhookEvent> events, bool isActive, bool allowHttpLoopback)
    {
        ArgumentNullException.ThrowIfNull(events);
        Name = Guard.Required(name, "Name", FieldLengths.Name);
        Url = CheckUrl(url, allowHttpLoopback);
        var chosen = events.Distinct().ToList();
        foreach (var e in chosen)
            Guard.Defined(e, "Event");
        if (chosen.Count == 0)
            throw new DomainException("Choose at least one event to send.");
        _events = chosen.Order().ToList();
        IsActive = isActive;
    }

    /// <summary>Gives the hook a new secret (the old one stops signing at once) and returns it, to be shown once.</summary>
    public string RotateSecret(DateTimeOffset now)
    {
        Secret = NewSecret();
        SecretCreatedAt = now;
        return Secret;
    }

    /// <summary>A 32-byte random secret in URL-safe base64, prefixed so it is recognisable in a config file.</summary>
    public static string NewSecret() =>
        "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>
    /// The address, trimmed, if it is an absolute https URL (or http to loopback when <paramref name="allowHttpLoopback"/>);
    /// otherwise a message that says what is wrong.
    /// </summary>
    public static string CheckUrl(string? url, bool allowHttpLoopback)
    {
        var text = Guard.Required(url, "URL", UrlLength);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new DomainException("Enter the full address, starting with https://.");
        if (!string.IsNullOrEmpty(uri.UserInfo))
            throw new DomainException("Leave the user name and password out of the address; deliveries are signed instead.");
        if (uri.Scheme == Uri.UriSchemeHttps)
            return text;
        if (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri))
            return allowHttpLoopback ? text : throw new DomainException("Plain http is accepted only for a receiver on this machine in development; use https.");
        throw new DomainException("Webhook addresses must use https.");
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
