namespace CommitmentTracker.Domain;

/// <summary>What text the application accepts from people: the one definition of a forbidden control character.</summary>
public static class Text
{
    /// <summary>
    /// True when the text holds a character of Unicode category Cc (U+0000-U+001F, U+007F-U+009F), apart from tab,
    /// carriage return and line feed when <paramref name="allowLineBreaks"/> is set (text that may span lines).
    /// </summary>
    public static bool HasControlCharacter(string? text, bool allowLineBreaks)
    {
        if (text is null)
            return false;
        foreach (var c in text)
        {
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\r' or '\n'))
                return true;
        }
        return false;
    }

    /// <summary>The text without control characters (for search boxes, where dropping them is what the user meant).</summary>
    public static string WithoutControlCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return HasControlCharacter(text, allowLineBreaks: false) ? string.Concat(text.Where(c => !char.IsControl(c))) : text;
    }
}
