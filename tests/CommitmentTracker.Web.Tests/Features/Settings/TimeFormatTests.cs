using CommitmentTracker.Web.Components.Shared;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Settings;

/// <summary>How a moment reads in a viewer's zone: the wall clock there, with the offset the zone had at that moment.</summary>
public sealed class TimeFormatTests
{
    private static readonly TimeZoneInfo Berlin = Zone("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = Zone("America/New_York");
    private static readonly TimeZoneInfo Kolkata = Zone("Asia/Kolkata");

    private static TimeZoneInfo Zone(string id) => TimeZoneIds.TryFind(id, out var zone) ? zone : throw new InvalidOperationException(id);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_moment_reads_in_the_viewers_zone_with_its_offset()
    {
        var at = Utc(2026, 12, 4, 13, 5);

        Assert.Equal("4 Dec 2026 14:05 UTC+1", TimeFormat.DateTime(at, Berlin));
        Assert.Equal("4 Dec 2026 08:05 UTC-5", TimeFormat.DateTime(at, NewYork));
        Assert.Equal("4 Dec 2026 18:35 UTC+5:30", TimeFormat.DateTime(at, Kolkata));
        Assert.Equal("4 Dec 2026 13:05 UTC", TimeFormat.DateTime(at, TimeZoneInfo.Utc));
    }

    [Fact]
    public void The_offset_changes_across_the_spring_daylight_saving_change()
    {
        // Berlin goes from UTC+1 to UTC+2 at 01:00 UTC on 29 Mar 2026: the clock jumps from 02:00 to 03:00.
        Assert.Equal("29 Mar 2026 01:59 UTC+1", TimeFormat.DateTime(Utc(2026, 3, 29, 0, 59), Berlin));
        Assert.Equal("29 Mar 2026 03:00 UTC+2", TimeFormat.DateTime(Utc(2026, 3, 29, 1, 0), Berlin));
    }

    [Fact]
    public void The_offset_changes_across_the_autumn_daylight_saving_change()
    {
        // New York goes back from UTC-4 to UTC-5 at 06:00 UTC on 1 Nov 2026: 01:30 happens twice.
        Assert.Equal("1 Nov 2026 01:30 UTC-4", TimeFormat.DateTime(Utc(2026, 11, 1, 5, 30), NewYork));
        Assert.Equal("1 Nov 2026 01:30 UTC-5", TimeFormat.DateTime(Utc(2026, 11, 1, 6, 30), NewYork));
    }

    [Fact]
    public void A_typed_time_is_read_in_the_users_zone_and_stored_as_utc()
    {
        Assert.Equal(Utc(2026, 12, 4, 13, 5), TimeFormat.FromLocal(new DateTime(2026, 12, 4, 14, 5, 0), Berlin));
        Assert.Equal(Utc(2026, 7, 4, 12, 5), TimeFormat.FromLocal(new DateTime(2026, 7, 4, 14, 5, 0), Berlin));
        Assert.Equal(TimeSpan.Zero, TimeFormat.FromLocal(new DateTime(2026, 7, 4, 14, 5, 0), Berlin).Offset);
    }

    [Fact]
    public void A_time_skipped_by_the_spring_change_is_read_on_the_old_offset()
    {
        // 02:30 does not exist in Berlin on 29 Mar 2026; read as 02:30 UTC+1 = 01:30 UTC (03:30 summer time).
        Assert.Equal(Utc(2026, 3, 29, 1, 30), TimeFormat.FromLocal(new DateTime(2026, 3, 29, 2, 30, 0), Berlin));
    }

    [Fact]
    public void A_time_that_happens_twice_in_the_autumn_is_read_as_the_first()
    {
        Assert.Equal(Utc(2026, 11, 1, 5, 30), TimeFormat.FromLocal(new DateTime(2026, 11, 1, 1, 30, 0), NewYork));
    }

    [Fact]
    public void The_users_today_is_the_day_in_their_zone()
    {
        // 23:30 UTC on 4 Dec is already 5 Dec in Berlin and still 4 Dec in New York.
        var time = new UserTime(new FakeTimeProvider(Utc(2026, 12, 4, 23, 30)));
        time.Use("Europe/Berlin");
        Assert.Equal(new DateOnly(2026, 12, 5), time.Today);
        Assert.Equal("5 Dec 2026", time.Date(Utc(2026, 12, 4, 23, 30)));
        time.Use("America/New_York");
        Assert.Equal(new DateOnly(2026, 12, 4), time.Today);
        Assert.Equal("18:30:00 UTC-5", time.Time(Utc(2026, 12, 4, 23, 30), seconds: true));
    }

    [Fact]
    public void A_viewer_without_a_zone_reads_utc_and_says_so()
    {
        var time = new UserTime(new FakeTimeProvider(Utc(2026, 12, 4, 23, 30)));
        time.Use(null);

        Assert.False(time.HasZone);
        Assert.Equal("4 Dec 2026 23:30 UTC", time.DateTime(Utc(2026, 12, 4, 23, 30)));
    }

    [Fact]
    public void A_date_that_is_a_date_reads_the_same_in_every_zone()
    {
        Assert.Equal("7 Mar 2026", UserTime.Day(new DateOnly(2026, 3, 7)));
    }

    [Fact]
    public void The_latest_today_on_earth_is_the_day_at_utc_plus_14()
    {
        Assert.Equal(new DateOnly(2026, 3, 2), TimeFormat.LatestToday(Utc(2026, 3, 2, 9, 59)));
        Assert.Equal(new DateOnly(2026, 3, 3), TimeFormat.LatestToday(Utc(2026, 3, 2, 10, 0)));
    }
}
