using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The whole app on a real Kestrel server (127.0.0.1, a free port) with its own fresh database on the assembly's
/// PostgreSQL server, demo data seeded. A class fixture: one app per test class.
/// </summary>
public sealed partial class AppHost(PostgresServer postgres) : IAsyncLifetime
{
    /// <summary>The environment the app runs in: Production, as users run it; static assets must load there too.</summary>
    public const string Environment = "Production";

    // Program.cs sets the static Serilog logger while it builds; two apps building at once would race on it.
    internal static readonly SemaphoreSlim StartGate = new(1, 1);

    private Factory? _factory;
    private string? _keysDirectory;

    /// <summary>Where the app listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The app's log (Serilog: warnings, errors, start and stop), kept in the test output folder (e2e-logs).</summary>
    public string LogFile { get; private set; } = "";

    /// <summary>The running app's services: to act as another user behind the browser's back (an admin), or find demo records by name.</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>Absolute URL of a path in the app ("deals", "/Account/Login").</summary>
    public Uri Url(string relativePath) => new(BaseAddress, relativePath.TrimStart('/'));

    public async ValueTask InitializeAsync()
    {
        var ownerConnectionString = await postgres.CreateDatabaseAsync("e2e");
        _keysDirectory = Directory.CreateTempSubdirectory("ct-e2e-keys-").FullName;
        var logDirectory = Path.Combine(AppContext.BaseDirectory, "e2e-logs");
        Directory.CreateDirectory(logDirectory);
        LogFile = Path.Combine(logDirectory, string.Create(
            CultureInfo.InvariantCulture, $"app-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}.log"));

        // As deployed: migrations as the owner role, the app as its own role.
        _factory = new Factory(ownerConnectionString, postgres.AppConnectionString(ownerConnectionString), _keysDirectory, LogFile);
        _factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));

        await StartGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            // StartServer blocks until the host has started: migrations and demo seeding run in a hosted service before that.
            await Task.Run(_factory.StartServer, TestContext.Current.CancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // When the app fails to start, Program.cs logs why and exits; the factory only sees a disposed host.
            throw new InvalidOperationException(
                $"The app did not start ({ex.GetType().Name}: {ex.Message}). End of its log {LogFile}:{System.Environment.NewLine}{ReadLogTail()}",
                ex);
        }
        finally
        {
            StartGate.Release();
        }

        var addresses = _factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel started without an address.");
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");

        await VerifyStaticAssetsAsync();
    }

    /// <summary>A plain HTTP client for the app; redirects are not followed so tests can see them.</summary>
    public HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_keysDirectory is not null && Directory.Exists(_keysDirectory))
        {
            Directory.Delete(_keysDirectory, recursive: true);
        }
    }

    // A page without its styles still "works" for the browser, so check the stylesheet and scripts the shell loads.
    private async Task VerifyStaticAssetsAsync()
    {
        using var client = CreateHttpClient();
        var cancellationToken = TestContext.Current.CancellationToken;
        var html = await client.GetStringAsync(new Uri("Account/Login", UriKind.Relative), cancellationToken);
        var assets = AssetReference().Matches(html).Select(match => match.Groups["path"].Value).Distinct().ToList();

        var problems = new List<string>();
        foreach (var required in new[] { "_content/MudBlazor/MudBlazor.min", "_framework/blazor.web" })
        {
            if (!assets.Any(asset => asset.StartsWith(required, StringComparison.Ordinal)))
            {
                problems.Add($"the login page does not reference {required}.*");
            }
        }

        foreach (var asset in assets)
        {
            using var response = await client.GetAsync(new Uri(asset, UriKind.Relative), cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                problems.Add($"{asset} answered {(int)response.StatusCode}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"Static assets do not load in {Environment}: {string.Join("; ", problems)}. App log: {LogFile}");
        }
    }

    private string ReadLogTail(int maxCharacters = 6000)
    {
        try
        {
            // The app may still hold the file open for writing.
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            return text.Length <= maxCharacters ? text : "..." + text[^maxCharacters..];
        }
        catch (IOException ex)
        {
            return $"(log not readable: {ex.Message})";
        }
    }

    [GeneratedRegex("""(?:href|src)="(?<path>[^"#?:]+\.(?:css|js))""")]
    private static partial Regex AssetReference();

    private sealed class Factory(string ownerConnectionString, string connectionString, string keysDirectory, string logFile) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(Environment);
            builder.UseSetting("ConnectionStrings:Owner", ownerConnectionString);
            builder.UseSetting("ConnectionStrings:Default", connectionString);
            builder.UseSetting("Demo:Enabled", "true");
            builder.UseSetting("Demo:ShowSignInHint", "true");
            // Alert mails go to a pickup folder next to the keys, not into the repository.
            builder.UseSetting("Email:PickupDirectory", Path.Combine(keysDirectory, "mail"));

            // The app logs warnings and errors to a file instead of the console (sink 0 replaced). Added as app
            // configuration, not UseSetting: the factory's chained settings answer "" for section keys, and Serilog
            // then reads "Serilog:WriteTo:0" as a sink named "".
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Serilog:WriteTo:0:Name"] = "File",
                ["Serilog:WriteTo:0:Args:path"] = logFile,
            }));
        }
    }
}
