using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// The app's answers to a request that came over HTTPS, in the Production pipeline (in memory: the scheme of the request
/// is what the app looks at, as it is behind a TLS proxy that forwards it): HSTS, and every cookie marked Secure.
/// </summary>
public sealed class HttpsResponseTests(PostgresServer postgres) : IAsyncLifetime
{
    private Factory? _factory;
    private string? _keysDirectory;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("https");
        _keysDirectory = Directory.CreateTempSubdirectory("ct-https-keys-").FullName;
        _factory = new Factory(connectionString, _keysDirectory);
        await AppHost.StartGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            _ = _factory.Server;
        }
        finally
        {
            AppHost.StartGate.Release();
        }
    }

    [Fact]
    public async Task Over_https_the_app_sends_hsts_and_marks_its_cookies_secure()
    {
        using var client = _factory!.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://tracker.example/"),
            AllowAutoRedirect = false,
        });

        using var response = await client.GetAsync(new Uri("Account/Login", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.True(response.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "No HSTS header over HTTPS.");
        Assert.Contains("max-age=", Assert.Single(hsts), StringComparison.Ordinal);
        Assert.Contains("upgrade-insecure-requests", string.Join(",", response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        if (_keysDirectory is not null && Directory.Exists(_keysDirectory))
            Directory.Delete(_keysDirectory, recursive: true);
    }

    private sealed class Factory(string connectionString, string keysDirectory) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(AppHost.Environment);
            builder.UseSetting("ConnectionStrings:Default", connectionString);
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("Email:PickupDirectory", Path.Combine(keysDirectory, "mail"));
            builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serilog:MinimumLevel:Default"] = "Warning",
            }));
        }
    }
}
