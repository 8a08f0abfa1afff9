namespace CommitmentTracker.Web.Features.InboundMail;

/// <summary>The app's own SMTP listener (section "InboundMail"). Off unless enabled: production turns it on deliberately.</summary>
public sealed class InboundMailOptions
{
    public const string Section = "InboundMail";

    public bool Enabled { get; set; }

    /// <summary>The TCP port the listener accepts SMTP on (all interfaces).</summary>
    public int Port { get; set; } = 2525;

    /// <summary>The domains the app's addresses live at; mail to any other domain is refused at RCPT TO.</summary>
    public string[] AcceptedDomains { get; set; } = [];

    /// <summary>The largest message accepted, in bytes (announced with SIZE, enforced while reading).</summary>
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The domain shown in addresses: the first accepted one.</summary>
    public string? Domain => AcceptedDomains.Select(d => d.Trim().ToLowerInvariant()).FirstOrDefault(d => d.Length > 0);

    /// <summary>Whether the addresses work: the listener is on and has a domain.</summary>
    public bool Receives => Enabled && Domain is not null;

    public bool Accepts(string? host) =>
        host is not null && AcceptedDomains.Any(d => string.Equals(d.Trim(), host.Trim(), StringComparison.OrdinalIgnoreCase));
}
