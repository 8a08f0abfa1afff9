using CommitmentTracker.Domain.Integrations;

namespace CommitmentTracker.Domain.Tests;

/// <summary>A webhook's own rules: an https address (http only to loopback, where allowed), at least one event, a fresh secret.</summary>
public sealed class WebhookTests
{
    private static Webhook Create(string url, bool allowHttpLoopback = false, params WebhookEvent[] events) =>
        Webhook.Create("CRM", url, events.Length == 0 ? [WebhookEvent.PromiseLate] : events, true, allowHttpLoopback, Build.Rep, Build.Now);

    [Theory]
    [InlineData("https://crm.example.com/hooks")]
    [InlineData("https://10.0.0.5:8443/in")]
    public void An_https_address_is_accepted(string url) => Assert.Equal(url, Create(url).Url);

    [Theory]
    [InlineData("http://crm.example.com/hooks", true)]
    [InlineData("http://127.0.0.1:5000/in", false)]
    [InlineData("http://localhost:5000/in", false)]
    [InlineData("ftp://crm.example.com/in", true)]
    [InlineData("crm.example.com/in", true)]
    [InlineData("https://user:pw@crm.example.com/in", true)]
    [InlineData("", true)]
    public void Other_addresses_are_refused_with_a_message(string url, bool allowHttpLoopback)
    {
        var error = Assert.Throws<DomainException>(() => Create(url, allowHttpLoopback));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/in")]
    [InlineData("http://localhost:5000/in")]
    [InlineData("http://[::1]:5000/in")]
    public void Plain_http_to_loopback_is_accepted_where_the_host_allows_it(string url) => Assert.Equal(url, Create(url, allowHttpLoopback: true).Url);

    [Fact]
    public void A_hook_needs_an_event_and_is_told_only_of_its_events_while_active()
    {
        Assert.Throws<DomainException>(() => Webhook.Create("CRM", "https://x.example.com", [], true, false, Build.Rep, Build.Now));
        var hook = Create("https://x.example.com", false, WebhookEvent.PromiseKept, WebhookEvent.PromiseKept, WebhookEvent.DealStageChanged);

        Assert.Equal([WebhookEvent.PromiseKept, WebhookEvent.DealStageChanged], hook.Events);
        Assert.True(hook.IsSubscribedTo(WebhookEvent.PromiseKept));
        Assert.False(hook.IsSubscribedTo(WebhookEvent.PromiseBroken));
        hook.Change("CRM", "https://x.example.com", [WebhookEvent.PromiseKept], isActive: false, allowHttpLoopback: false);
        Assert.False(hook.IsSubscribedTo(WebhookEvent.PromiseKept));
    }

    [Fact]
    public void Rotating_the_secret_gives_a_new_random_one()
    {
        var hook = Create("https://x.example.com");
        var first = hook.Secret;

        var second = hook.RotateSecret(Build.Now.AddDays(1));

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
        Assert.Equal(second, hook.Secret);
        Assert.Equal(Build.Now.AddDays(1), hook.SecretCreatedAt);
        Assert.DoesNotContain(second[10..], hook.SecretHint, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_event_has_a_distinct_wire_name()
    {
        var names = WebhookEvents.All.Select(WebhookEvents.WireName).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.Contains("promise.at_risk", names);
        Assert.Contains("recovery_plan.closed", names);
    }
}
