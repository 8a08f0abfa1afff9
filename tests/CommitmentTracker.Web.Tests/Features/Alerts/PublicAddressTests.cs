using CommitmentTracker.Web.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Tests.Features.Alerts;

/// <summary>The one address links are built on: configured, or else the address the app really serves; never a made-up localhost:5000.</summary>
public sealed class PublicAddressTests
{
    private static ServiceProvider Services(string? address, string? oldSetting = null, IServer? server = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["App:PublicAddress"] = address,
            ["Email:AppUrl"] = oldSetting,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        if (server is not null)
            services.AddSingleton(server);
        return services.AddPublicAddress(configuration).BuildServiceProvider();
    }

    [Fact]
    public void The_configured_address_is_the_base_of_every_link()
    {
        using var services = Services("https://tracker.example.com/");
        var links = services.GetRequiredService<PublicAddress>();

        var id = Guid.NewGuid();
        Assert.Equal(("https://tracker.example.com", $"https://tracker.example.com/deals/{id}", $"https://tracker.example.com/recovery/{id}"),
            (links.Base, links.DealLink(id), links.RecoveryPlanLink(id)));
    }

    [Fact]
    public void An_address_under_a_path_keeps_its_path()
    {
        using var services = Services("https://intranet.example.com/promises");

        Assert.Equal("https://intranet.example.com/promises/deals/x", services.GetRequiredService<PublicAddress>().Link("deals/x"));
    }

    [Theory]
    [InlineData("tracker.example.com")]
    [InlineData("ftp://tracker.example.com")]
    [InlineData("/deals")]
    public void An_address_that_is_no_absolute_http_url_stops_the_start_with_a_clear_message(string address)
    {
        using var services = Services(address);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<PublicAddressOptions>>().Value);

        Assert.Contains("App:PublicAddress", error.Message, StringComparison.Ordinal);
        Assert.Contains($"\"{address}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_setting_the_links_use_the_address_the_app_listens_on()
    {
        using var services = Services(null, server: new ListeningOn("http://0.0.0.0:5191"));

        Assert.Equal("http://localhost:5191/deals/x", services.GetRequiredService<PublicAddress>().Link("deals/x"));
    }

    [Fact]
    public void Without_a_setting_the_first_request_decides_the_address()
    {
        using var services = Services(null, server: new ListeningOn("http://0.0.0.0:5191"));
        var links = services.GetRequiredService<PublicAddress>();

        links.Observe(Request("https", "tracker.internal.example:8443"));
        links.Observe(Request("http", "127.0.0.1:5191"));

        Assert.Equal("https://tracker.internal.example:8443", links.Base);
    }

    [Fact]
    public void A_configured_address_is_not_replaced_by_a_request()
    {
        var links = PublicAddress.Fixed("https://tracker.example.com", NullLogger<PublicAddress>.Instance);

        links.Observe(Request("http", "127.0.0.1:5191"));

        Assert.Equal("https://tracker.example.com", links.Base);
    }

    [Fact]
    public void The_earlier_setting_email_app_url_is_still_read()
    {
        using var services = Services(null, oldSetting: "https://old.example.com");

        Assert.Equal("https://old.example.com", services.GetRequiredService<PublicAddress>().Base);
    }

    private static HttpRequest Request(string scheme, string host)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        return context.Request;
    }

    /// <summary>A server that only says where it listens.</summary>
    private sealed class ListeningOn : IServer
    {
        public ListeningOn(string address)
        {
            var addresses = new ServerAddressesFeatureStub();
            addresses.Addresses.Add(address);
            Features.Set<IServerAddressesFeature>(addresses);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class ServerAddressesFeatureStub : IServerAddressesFeature
    {
        public ICollection<string> Addresses { get; } = [];
        public bool PreferHostingUrls { get; set; }
    }
}
