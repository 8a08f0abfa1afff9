namespace CommitmentTracker.Domain;

/// <summary>What text the application accepts from people: the one definition of a forbidden character.</summary>
public static class Text
{
    /// <summary>
    /// True when the text holds a control character (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) apart from tab,
    /// carriage return and line feed when <paramref name="allowLineBreaks"/> is set, or half of a surrogate pair without
    /// its other half (not text at all: it cannot be encoded as UTF-8). PostgreSQL refuses NUL; the rest are never typed.
    /// </summary>
    public static bool HasForbiddenCharacter(string? text, bool allowLineBreaks)
    {
        if (text is null)
            return false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\r' or '\n'))
                return true;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return true;
        }
        return false;
    }

    /// <summary>The text without forbidden characters (for search boxes, where dropping them is what the user meant).</summary>
    public static string WithoutForbiddenCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!HasForbiddenCharacter(text, allowLineBreaks: false))
            return text;
        var kept = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                kept.Append(text, i++, 2);
            else if (!char.IsControl(text[i]) && !char.IsSurrogate(text[i]))
                kept.Append(text[i]);
        }
        return kept.ToString();
    }
}
