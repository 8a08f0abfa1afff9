namespace CommitmentTracker.Web.Features;

/// <summary>Builds ILIKE patterns from what a user typed, so % and _ are matched literally (control characters, which PostgreSQL may refuse, are dropped).</summary>
public static class SearchPattern
{
    /// <summary>Pass to <c>EF.Functions.ILike</c>: without it Npgsql says <c>ESCAPE ''</c> and the escapes match literally.</summary>
    public const string EscapeCharacter = "\\";

    public static string Escape(string text) => Domain.Text.WithoutForbiddenCharacters(text).Trim()
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>Matches values containing the text, case-insensitively.</summary>
    public static string Contains(string text) => $"%{Escape(text)}%";
}
