namespace CommitmentTracker.Domain;

/// <summary>Argument checks that throw <see cref="DomainException"/> with a message a user can read.</summary>
internal static class Guard
{
    public static string Required(string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new DomainException($"{what} is required.");
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException($"{what} must be at most {maxLength} characters.");
        return trimmed;
    }

    public static string? Optional(string? value, string what, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var trimmed = value.Trim();
        if (trimmed.Length > maxLength)
            throw new DomainException($"{what} must be at most {maxLength} characters.");
        return trimmed;
    }

    public static void Defined<TEnum>(TEnum value, string what) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
            throw new DomainException($"{what} is not valid.");
    }
}
