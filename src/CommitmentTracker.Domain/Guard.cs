namespace CommitmentTracker.Domain;

/// <summary>Argument checks that throw <see cref="DomainException"/> with a message a user can read.</summary>
internal static class Guard
{
    public static string Required(string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException($"{what} is required.");
        NoControlCharacters(value, what);
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException($"{what} must be at most {maxLength} characters.");
        return trimmed;
    }

    public static string? Optional(string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        NoControlCharacters(value, what);
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException($"{what} must be at most {maxLength} characters.");
        return trimmed;
    }

    /// <summary>
    /// Refuses text with a control character (Unicode category Cc: NUL, escape, bell...) other than tab and line breaks:
    /// PostgreSQL refuses NUL outright, and the others are never typed, only pasted by accident or sent on purpose.
    /// </summary>
    public static void NoControlCharacters(string value, string what)
    {
        if (Text.HasForbiddenCharacter(value, allowLineBreaks: true))
            throw new DomainException($"{what} contains an invisible control character or a broken character: remove it and try again.");
    }

    public static void Defined<TEnum>(TEnum value, string what) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new DomainException($"{what} is not valid.");
    }
}
