using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features;

/// <summary>The address users reach the app at (section "App"): the one base of every link the app builds for outside it.</summary>
public sealed class PublicAddressOptions
{
    public const string Section = "App";

    /// <summary>E.g. <c>https://tracker.example.com</c>; empty: the address the app serves (see <see cref="PublicAddress"/>).</summary>
    public string? PublicAddress { get; set; }

    /// <summary>The configured address as an absolute http(s) URL, or null when none is set or it is not one.</summary>
    public Uri? Parsed =>
        Uri.TryCreate(PublicAddress?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && !string.IsNullOrEmpty(uri.Host)
            ? uri : null;
}

/// <summary>Refuses to start with an address that is no absolute http or https URL, saying which setting and what it holds.</summary>
public sealed class PublicAddressOptionsValidator : IValidateOptions<PublicAddressOptions>
{
    public ValidateOptionsResult Validate(string? name, PublicAddressOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.PublicAddress) || options.Parsed is not null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"App:PublicAddress (environment variable App__PublicAddress) must be an absolute http or https address such as " +
                $"https://tracker.example.com; it is \"{options.PublicAddress}\". Leave it empty to use the address the app serves.");
    }
}

/// <summary>
/// The base of the links in mails (and any other link the app builds for outside it): <c>App:PublicAddress</c> when set;
/// otherwise the scheme and host of the first request the app serves, and until one came the address Kestrel listens on.
/// Says once in the log which address it uses.
/// </summary>
public sealed partial class PublicAddress(IOptions<PublicAddressOptions> options, IServer? server, ILogger<PublicAddress> logger)
{
    private readonly Lock _gate = new();
    private Uri? _fromRequest;
    private string? _logged;

    /// <summary>An address fixed from the start (tests, tools).</summary>
    public static PublicAddress Fixed(string address, ILogger<PublicAddress>? logger = null) =>
        new(Options.Create(new PublicAddressOptions { PublicAddress = address }), null,
            logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<PublicAddress>.Instance);

    /// <summary>The app's address, ending without a slash, e.g. <c>https://tracker.example.com</c>.</summary>
    public string Base
    {
        get
        {
            var (address, source) = Resolve();
            var text = address.GetLeftPart(UriPartial.Path).TrimEnd('/');
            lock (_gate)
            {
                if (_logged != text)
                {
                    _logged = text;
                    LogUsing(logger, text, source);
                }
            }
            return text;
        }
    }

    /// <summary>A link to a path of the app, e.g. <c>Link("deals/1")</c>.</summary>
    public string Link(string path) => $"{Base}/{(path ?? "").TrimStart('/')}";

    /// <summary>A deal's page.</summary>
    public string DealLink(Guid dealId) => Link($"deals/{dealId}");

    /// <summary>A recovery plan's guided page.</summary>
    public string RecoveryPlanLink(Guid planId) => Link($"recovery/{planId}");

    /// <summary>Remembers the address of the first request when none is configured.</summary>
    public void Observe(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_fromRequest is not null || options.Value.Parsed is not null || !request.Host.HasValue)
            return;
        if (Uri.TryCreate($"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}", UriKind.Absolute, out var uri))
            Interlocked.CompareExchange(ref _fromRequest, uri, null);
    }

    private (Uri Address, string Source) Resolve()
    {
        if (options.Value.Parsed is { } configured)
            return (configured, "App:PublicAddress");
        if (_fromRequest is { } seen)
            return (seen, "the first request; set App:PublicAddress to choose it");
        var bound = server?.Features.Get<IServerAddressesFeature>()?.Addresses
            .Select(a => Uri.TryCreate(a.Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var u) ? u : null)
            .OfType<Uri>()
            .OrderByDescending(u => u.Scheme == Uri.UriSchemeHttps)
            .FirstOrDefault();
        return bound is not null
            ? (bound, "the address the app listens on; set App:PublicAddress to choose it")
            : (new Uri("http://localhost"), "no address known yet; set App:PublicAddress");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Links in mails use {PublicAddress} ({Source}).")]
    private static partial void LogUsing(ILogger logger, string publicAddress, string source);
}

/// <summary>Registers the public address, its start-up check and the middleware that notes the first request.</summary>
public static class PublicAddressExtensions
{
    public static IServiceCollection AddPublicAddress(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublicAddressOptions>()
            .Bind(configuration.GetSection(PublicAddressOptions.Section))
            // The earlier name of the setting, still read when the new one is not set.
            .PostConfigure(o => o.PublicAddress = string.IsNullOrWhiteSpace(o.PublicAddress) ? configuration["Email:AppUrl"] : o.PublicAddress)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PublicAddressOptions>, PublicAddressOptionsValidator>();
        services.AddSingleton(sp => new PublicAddress(
            sp.GetRequiredService<IOptions<PublicAddressOptions>>(), sp.GetService<IServer>(), sp.GetRequiredService<ILogger<PublicAddress>>()));
        return services;
    }

    public static IApplicationBuilder UsePublicAddress(this IApplicationBuilder app)
    {
        var address = app.ApplicationServices.GetRequiredService<PublicAddress>();
        return app.Use((context, next) =>
        {
            address.Observe(context.Request);
            return next(context);
        });
    }
}
