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

    /// <summary>
    /// From this many characters a "contains" pattern is a trigram-index lookup (pg_trgm); shorter text has no trigram to
    /// look up, so a search matches it at the start of a word instead (<see cref="StartsWith"/>, <see cref="WordStartsWith"/>).
    /// </summary>
    public const int TrigramLength = 3;

    /// <summary>True when the text is too short for a trigram lookup of "contains" (but not empty).</summary>
    public static bool IsShort(string text) => Domain.Text.WithoutForbiddenCharacters(text).Trim().Length < TrigramLength;

    /// <summary>Matches values that start with the text.</summary>
    public static string StartsWith(string text) => $"{Escape(text)}%";

    /// <summary>Matches values with a word (after a space) that starts with the text.</summary>
    public static string WordStartsWith(string text) => $"% {Escape(text)}%";
}
