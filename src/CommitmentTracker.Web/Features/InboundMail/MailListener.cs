using System.Buffers;
using Microsoft.Extensions.Options;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CommitmentTracker.Web.Features.InboundMail;

/// <summary>
/// The app's own SMTP listener (SmtpServer): refuses, at RCPT TO, any recipient that is not a deal's or a user's address
/// at an accepted domain; parses each accepted message with MimeKit and hands it to <see cref="InboundMailService"/>.
/// A message that cannot be stored is answered with a temporary failure, so the sending server keeps it and retries:
/// nothing is lost. Off unless <c>InboundMail:Enabled</c>; stops with the app.
/// </summary>
public sealed partial class MailListener(
    IOptions<InboundMailOptions> options, IServiceScopeFactory scopes, ILogger<MailListener> logger) : IHostedService, IDisposable
{
    private SmtpServer.SmtpServer? _server;
    private Task? _running;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The port the listener accepts on, once started.</summary>
    public int? Port { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
            return Task.CompletedTask;
        if (settings.Domain is null)
        {
            LogNoDomain(logger);
            return Task.CompletedTask;
        }
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(settings.Domain)
            .Endpoint(endpoint => endpoint.Port(settings.Port).SessionTimeout(TimeSpan.FromMinutes(2)))
            .MaxMessageSize(settings.MaxMessageBytes, MaxMessageSizeHandling.Strict)
            .Build();
        var provider = new SmtpServer.ComponentModel.ServiceProvider();
        provider.Add(new RecipientFilter(scopes));
        provider.Add(new Store(scopes, logger));
        _server = new SmtpServer.SmtpServer(serverOptions, provider);
        _running = _server.StartAsync(_stopping.Token);
        Port = settings.Port;
        LogListening(logger, settings.Port, string.Join(", ", settings.AcceptedDomains));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null || _running is null)
            return;
        _server.Shutdown();
        await _stopping.CancelAsync();
        try
        {
            await _running.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: sessions still open are ended.
        }
    }

    public void Dispose() => _stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Receiving mail over SMTP on port {Port} for {Domains}")]
    private static partial void LogListening(ILogger logger, int port, string domains);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InboundMail is enabled but names no AcceptedDomains: the mail listener is not started")]
    private static partial void LogNoDomain(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "A received message could not be stored; the sender was told to try again later")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);

    /// <summary>Only the app's own addresses are accepted as recipients; everything else is refused before any data is sent.</summary>
    private sealed class RecipientFilter(IServiceScopeFactory scopes) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(SmtpServer.ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) =>
            Task.FromResult(true);

        public async Task<bool> CanDeliverToAsync(SmtpServer.ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken)
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<InboundMailService>().IsDeliverableAsync(to.User, to.Host, cancellationToken);
        }
    }

    private sealed class Store(IServiceScopeFactory scopes, ILogger logger) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(
            SmtpServer.ISessionContext context, SmtpServer.IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            try
            {
                await using var stream = new MemoryStream(buffer.ToArray());
                var message = await MimeMessage.LoadAsync(stream, cancellationToken);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<InboundMailService>()
                    .ReceiveAsync(message, transaction.To.Select(t => t.AsAddress()).ToList(), cancellationToken);
                return SmtpResponse.Ok;
            }
#pragma warning disable CA1031 // any failure is told to the sender as "try again later"; the message stays with them
            catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogStoreFailed(logger, ex);
                return new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 The message could not be stored; try again later");
            }
        }
    }
}
