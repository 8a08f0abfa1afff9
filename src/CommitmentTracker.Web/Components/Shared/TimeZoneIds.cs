using System.Diagnostics.CodeAnalysis;

namespace CommitmentTracker.Web.Components.Shared;

/// <summary>
/// The time zones a user may have: IANA ids (e.g. <c>Europe/Berlin</c>) this server's time-zone data knows. The one check
/// the login page, the settings page, the admin's user dialog and their validators share.
/// </summary>
public static class TimeZoneIds
{
    /// <summary>Longest id stored (the longest IANA id is about 32 characters).</summary>
    public const int MaxLength = 64;

    /// <summary>The message a form shows for an id that is no known time zone.</summary>
    public const string Unknown = "Pick a time zone from the list, e.g. Europe/Berlin.";

    private static readonly Lazy<IReadOnlyList<string>> _all = new(() =>
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id)
            .Append("UTC").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);

    /// <summary>Every IANA zone this server knows, sorted, for pickers.</summary>
    public static IReadOnlyList<string> All => _all.Value;

    /// <summary>The zone of an IANA id (a Windows id is mapped to its IANA id); false for anything else.</summary>
    public static bool TryFind(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxLength)
            return false;
        id = id.Trim();
        // Ids are file names under the zone database: refuse anything that could walk out of it.
        if (id.Contains("..", StringComparison.Ordinal) || id.StartsWith('/') || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '+' or ' ' or '.'))
            return false;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found))
            return false;
        if (!found.HasIanaId)
        {
            if (!TimeZoneInfo.TryConvertWindowsIdToIanaId(found.Id, out var iana) || !TimeZoneInfo.TryFindSystemTimeZoneById(iana, out found))
                return false;
        }
        zone = found;
        return true;
    }

    /// <summary>True for a known zone id.</summary>
    public static bool IsValid(string? id) => TryFind(id, out _);

    /// <summary>The IANA id to store for <paramref name="id"/>, or null when it is no known zone.</summary>
    public static string? Normalize(string? id) => TryFind(id, out var zone) ? zone.Id : null;

    /// <summary>How a zone reads in a picker: its id and its offset now, e.g. "Europe/Berlin (UTC+1)".</summary>
    public static string Label(string id, DateTimeOffset now) =>
        TryFind(id, out var zone) ? $"{zone.Id} ({TimeFormat.Offset(zone.GetUtcOffset(now))})" : id;
}
