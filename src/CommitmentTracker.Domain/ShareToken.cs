using System.Security.Cryptography;

namespace CommitmentTracker.Domain;

/// <summary>
/// The secret of a link opened without signing in (a shared delivery record, a customer's link): 32 random bytes (256 bits) from the system's cryptographic generator, written in URL-safe
/// base64 (43 characters). Only its SHA-256 hash is stored; a presented token is hashed and the hashes are compared in
/// constant time. A string that cannot be a token is refused before any lookup.
/// </summary>
public static class ShareToken
{
    public const int ByteLength = 32;
    public const int TextLength = 43;
    public const int HashLength = 32;

    /// <summary>A new token and the hash to store.</summary>
    public static (string Token, byte[] Hash) New()
    {
        var bytes = RandomNumberGenerator.GetBytes(ByteLength);
        var token = Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, SHA256.HashData(bytes));
    }

    /// <summary>The hash of a presented token, or null when the text cannot be a token (wrong length or characters).</summary>
    public static byte[]? Hash(string? token)
    {
        if (token is null || token.Length != TextLength || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return null;
        var base64 = token.Replace('-', '+').Replace('_', '/') + "=";
        var bytes = new byte[ByteLength];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != ByteLength)
            return null;
        return SHA256.HashData(bytes);
    }

    /// <summary>Compares a stored hash with a presented one in constant time.</summary>
    public static bool Matches(byte[] storedHash, byte[]? presentedHash) =>
        presentedHash is not null && CryptographicOperations.FixedTimeEquals(storedHash, presentedHash);
}
