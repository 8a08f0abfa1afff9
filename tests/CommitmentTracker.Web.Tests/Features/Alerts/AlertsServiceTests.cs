using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using CommitmentTracker.Web.Tests.Features.Recovery;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Alerts;

/// <summary>The bell's data: a user sees, counts and marks read only their own alerts.</summary>
public sealed class AlertsServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly AlertsService _alerts = new(database, new FakeTimeProvider(Now.AddHours(1)));

    [Fact]
    public async Task A_user_lists_and_counts_only_their_own_alerts_newest_first_with_the_deal()
    {
        var scene = await database.CreateSceneAsync();
        var older = await database.InsertAlertAsync(scene, scene.Rep, Now.AddMinutes(-5));
        var newer = await database.InsertAlertAsync(scene, scene.Rep, Now);
        var managers = await database.InsertAlertAsync(scene, scene.Manager, Now.AddMinutes(1));

        var list = await _alerts.ListAsync(scene.Rep, 20, Cancel);

        Assert.Equal([newer.Id, older.Id], list.Select(a => a.Id));
        Assert.Equal(scene.Deal.Title, list[0].DealTitle);
        Assert.Equal($"deals/{scene.Deal.Id}", list[0].DealLink);
        Assert.Equal(2, await _alerts.UnreadCountAsync(scene.Rep, Cancel));
        Assert.Equal([managers.Id], (await _alerts.ListAsync(scene.Manager, 20, Cancel)).Select(a => a.Id));
    }

    [Fact]
    public async Task An_alert_leads_to_the_promises_open_recovery_plan_and_to_the_deal_when_there_is_none()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var withoutPlan = await database.CreateSceneAsync();
        await database.InsertAlertAsync(withoutPlan, withoutPlan.Rep);

        var alert = Assert.Single(await _alerts.ListAsync(scene.Rep, 20, Cancel));
        var plain = Assert.Single(await _alerts.ListAsync(withoutPlan.Rep, 20, Cancel));

        Assert.Equal($"recovery/{scene.PlanId}", alert.Link);
        Assert.Equal($"deals/{withoutPlan.Deal.Id}", plain.Link);
    }

    [Fact]
    public async Task Marking_an_alert_read_lowers_the_count_and_stamps_the_time()
    {
        var scene = await database.CreateSceneAsync();
        var alert = await database.InsertAlertAsync(scene, scene.Rep);

        await _alerts.MarkReadAsync(scene.Rep, alert.Id, Cancel);
        await _alerts.MarkReadAsync(scene.Rep, alert.Id, Cancel);

        Assert.Equal(0, await _alerts.UnreadCountAsync(scene.Rep, Cancel));
        Assert.Equal(Now.AddHours(1), (await database.StoredAlertAsync(alert.Id)).ReadAt);
        Assert.True(Assert.Single(await _alerts.ListAsync(scene.Rep, 20, Cancel)).IsRead);
    }

    [Fact]
    public async Task Marking_another_users_alert_read_is_refused_as_not_found_and_changes_nothing()
    {
        var scene = await database.CreateSceneAsync();
        var managers = await database.InsertAlertAsync(scene, scene.Manager);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => _alerts.MarkReadAsync(scene.Rep, managers.Id, Cancel));

        Assert.Null((await database.StoredAlertAsync(managers.Id)).ReadAt);
        Assert.Equal(1, await _alerts.UnreadCountAsync(scene.Manager, Cancel));
    }

    [Fact]
    public async Task Marking_all_read_clears_the_actors_alerts_and_leaves_everyone_elses()
    {
        var scene = await database.CreateSceneAsync();
        await database.InsertAlertAsync(scene, scene.Rep);
        await database.InsertAlertAsync(scene, scene.Rep);
        var managers = await database.InsertAlertAsync(scene, scene.Manager);

        var marked = await _alerts.MarkAllReadAsync(scene.Rep, Cancel);

        Assert.Equal(2, marked);
        Assert.Equal(0, await _alerts.UnreadCountAsync(scene.Rep, Cancel));
        Assert.Null((await database.StoredAlertAsync(managers.Id)).ReadAt);
    }
}
