using MailKit.Security;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>
/// How alert mails and digests leave the app (section "Email"). With no <see cref="Host"/> (the development default)
/// mails are written as .eml files into <see cref="PickupDirectory"/> instead of being sent.
/// </summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>The SMTP server; empty writes mails to <see cref="PickupDirectory"/>.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>TLS: Auto (SSL on 465, STARTTLS when offered otherwise), None, SslOnConnect, StartTls, StartTlsWhenAvailable.</summary>
    public SecureSocketOptions SecureSocketOptions { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Signs in to the SMTP server when set.</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "CommitmentTracker <alerts@commitmenttracker.local>";

    /// <summary>Where mails are written when no <see cref="Host"/> is set; relative to the working folder.</summary>
    public string PickupDirectory { get; set; } = ".data/mail";

    /// <summary>The hour (UTC) from which each manager's daily digest goes out.</summary>
    public int DigestHourUtc { get; set; } = 7;

    /// <summary>How often the outbox is checked for alerts to mail, besides every change the app hears of.</summary>
    public int PollSeconds { get; set; } = 5;

    public int TimeoutSeconds { get; set; } = 30;
}
