using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>
/// Sends mails over SMTP with MailKit, or, when no SMTP host is configured (development), writes each mail as an
/// .eml file into the pickup folder, where a developer opens it with any mail reader.
/// </summary>
public sealed class MailSender(IOptions<EmailOptions> options, ILogger<MailSender> logger)
{
    /// <summary>Connects (and signs in) once for a batch of mails; dispose to say goodbye to the server.</summary>
    public async Task<MailSession> OpenAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            var folder = Path.GetFullPath(settings.PickupDirectory);
            Directory.CreateDirectory(folder);
            return new MailSession(null, folder, logger);
        }

        var smtp = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(Math.Max(1, settings.TimeoutSeconds)).TotalMilliseconds };
        try
        {
            await smtp.ConnectAsync(settings.Host, settings.Port, settings.SecureSocketOptions, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
                await smtp.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            return new MailSession(smtp, null, logger);
        }
        catch
        {
            smtp.Dispose();
            throw;
        }
    }

    /// <summary>The sender named in the settings, e.g. <c>CommitmentTracker &lt;alerts@example.com&gt;</c>.</summary>
    public MailboxAddress From => MailboxAddress.Parse(options.Value.From);

    /// <summary>Whether an exception says the mail could not be delivered (server, network, folder or address), not a bug.</summary>
    public static bool IsDeliveryFailure(Exception exception) => exception is
        SocketException or IOException or TimeoutException or UnauthorizedAccessException
        or ProtocolException or CommandException or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException
        or ServiceNotConnectedException or ServiceNotAuthenticatedException or ParseException;
}

/// <summary>One connection to the SMTP server (or the pickup folder) for a batch of mails.</summary>
public sealed class MailSession : IAsyncDisposable
{
    private readonly SmtpClient? _smtp;
    private readonly string? _pickupFolder;
    private readonly ILogger _logger;

    internal MailSession(SmtpClient? smtp, string? pickupFolder, ILogger logger)
    {
        _smtp = smtp;
        _pickupFolder = pickupFolder;
        _logger = logger;
    }

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_smtp is not null)
        {
            await _smtp.SendAsync(message, cancellationToken);
            return;
        }

        var recipient = message.To.Mailboxes.FirstOrDefault()?.Address ?? "nobody";
        var safeRecipient = string.Concat(recipient.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' ? c : '_'));
        var path = Path.Combine(_pickupFolder!, $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{safeRecipient}-{Guid.NewGuid().ToString("N")[..8]}.eml");
        await message.WriteToAsync(path, cancellationToken);
        _logger.LogInformation("No SMTP host configured: mail \"{Subject}\" to {Recipient} written to {Path}", message.Subject, recipient, path);
    }

    public async ValueTask DisposeAsync()
    {
        if (_smtp is null)
            return;
        try
        {
            if (_smtp.IsConnected)
                await _smtp.DisconnectAsync(quit: true);
        }
        catch (Exception ex) when (MailSender.IsDeliveryFailure(ex))
        {
            // The mails were handed over; a failed goodbye changes nothing.
        }
        finally
        {
            _smtp.Dispose();
        }
    }
}
