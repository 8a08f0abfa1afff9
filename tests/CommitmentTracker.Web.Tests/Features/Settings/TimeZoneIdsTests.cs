using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Features.Settings;

namespace CommitmentTracker.Web.Tests.Features.Settings;

/// <summary>Which time-zone ids the server accepts: IANA ids its zone data knows, nothing else.</summary>
public sealed class TimeZoneIdsTests
{
    [Theory]
    [InlineData("Europe/Berlin")]
    [InlineData("America/New_York")]
    [InlineData("Asia/Kolkata")]
    [InlineData("UTC")]
    public void A_known_iana_id_is_accepted_as_it_is(string id)
    {
        Assert.True(TimeZoneIds.IsValid(id));
        Assert.Equal(id, TimeZoneIds.Normalize(id));
    }

    [Fact]
    public void A_windows_id_is_stored_as_its_iana_id()
    {
        Assert.Equal("Europe/Berlin", TimeZoneIds.Normalize("W. Europe Standard Time"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/localtime")]
    [InlineData("Europe/Berlin\0")]
    [InlineData("Europe/Berlin; DROP TABLE")]
    public void Anything_else_is_refused(string id)
    {
        Assert.False(TimeZoneIds.IsValid(id));
        Assert.Null(TimeZoneIds.Normalize(id));
    }

    [Fact]
    public void An_id_longer_than_the_column_is_refused()
    {
        Assert.False(TimeZoneIds.IsValid("America/" + new string('A', TimeZoneIds.MaxLength)));
    }

    [Fact]
    public void The_picker_lists_iana_zones_only()
    {
        Assert.Contains("Europe/Berlin", TimeZoneIds.All);
        Assert.Contains("UTC", TimeZoneIds.All);
        Assert.All(TimeZoneIds.All, id => Assert.True(TimeZoneIds.IsValid(id), id));
    }

    [Fact]
    public void The_settings_form_refuses_an_unknown_zone_with_a_message()
    {
        var result = new MySettingsValidator().Validate(new MySettingsInput { TimeZone = "Mars/Olympus_Mons" });

        Assert.Equal([TimeZoneIds.Unknown], result.Errors.Select(e => e.ErrorMessage));
    }

    [Fact]
    public void The_admins_user_form_refuses_an_unknown_zone_and_accepts_none()
    {
        var validator = new UserAssignmentValidator();
        var unknown = validator.Validate(new UserAssignmentInput { Role = "Admin", TimeZone = "Nowhere/Land" });
        var none = validator.Validate(new UserAssignmentInput { Role = "Admin", TimeZone = null });

        Assert.Contains(unknown.Errors, e => e.ErrorMessage == TimeZoneIds.Unknown);
        Assert.True(none.IsValid, string.Join("; ", none.Errors));
    }
}
