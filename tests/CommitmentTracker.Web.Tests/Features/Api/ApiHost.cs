using System.Net.Http.Headers;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Api;

/// <summary>
/// The whole app (the real pipeline: authentication, the API's problem details, the status pages it must keep away) on a
/// fresh PostgreSQL database, its clock at <see cref="TestDeals.Now"/> so arranged deals and the validators agree on today.
/// </summary>
/// <remarks>
/// One host for every API test class (a collection fixture): the app's Serilog bootstrap logger is process-wide, and two
/// hosts built at the same moment would both try to freeze it.
/// </remarks>
public sealed class ApiHost(PostgresServer server) : IAsyncLifetime
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("ct-api-keys-");
    private WebApplicationFactory<Program>? _factory;

    public TestDatabase Database { get; } = new(server);

    public FakeTimeProvider Clock { get; } = new(TestDeals.Now);

    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("The host is not started.");

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:Owner", Database.OwnerConnectionString);
            builder.UseSetting("ConnectionStrings:Default", Database.ConnectionString);
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("Risk:SweepEnabled", "false");
            builder.UseSetting("DataProtection:KeysDirectory", _keys.FullName);
            builder.UseSetting("Email:PickupDirectory", Path.Combine(_keys.FullName, "mail"));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        });
        _ = _factory.Server; // starts the app: migrations (none pending) and start-up checks run now, not in the first test
    }

    /// <summary>A client sending <paramref name="token"/> as its bearer token (none: anonymous).</summary>
    public HttpClient Client(string? token = null)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token of <paramref name="actor"/>'s, stored as the tokens page stores one; returns its secret.</summary>
    public async Task<string> TokenAsync(Actor actor, bool readOnly = false, DateTimeOffset? createdAt = null, int expiryDays = 30)
    {
        var (token, secret) = ApiToken.Create(actor.UserId, "Test token", expiryDays, readOnly, createdAt ?? TestDeals.Now);
        await Database.InsertAsync(token);
        return secret;
    }

    /// <summary>A client acting as <paramref name="actor"/> through a new token.</summary>
    public async Task<HttpClient> ClientAsAsync(Actor actor, bool readOnly = false) => Client(await TokenAsync(actor, readOnly));

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        await Database.DisposeAsync();
        _keys.Delete(recursive: true);
    }
}

/// <summary>The API test classes share one <see cref="ApiHost"/> and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiHost>
{
    public const string Name = "API";
}
