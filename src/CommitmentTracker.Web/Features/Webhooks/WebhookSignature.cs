using System.Security.Cryptography;
using System.Text;

namespace CommitmentTracker.Web.Features.Webhooks;

/// <summary>
/// How a delivery is signed: HMAC-SHA256 over <c>"{timestamp}.{body}"</c> (the Unix time in seconds sent in
/// <see cref="TimestampHeader"/>, a dot, the raw body), keyed with the hook's secret as UTF-8 text, sent as
/// <c>sha256=</c> and lowercase hex in <see cref="SignatureHeader"/>. A receiver recomputes it and compares in constant
/// time, and refuses a timestamp older than a few minutes (a replay).
/// </summary>
public static class WebhookSignature
{
    public const string EventIdHeader = "X-CommitmentTracker-Event-Id";
    public const string EventTypeHeader = "X-CommitmentTracker-Event";
    public const string TimestampHeader = "X-CommitmentTracker-Timestamp";
    public const string SignatureHeader = "X-CommitmentTracker-Signature";
    public const string Prefix = "sha256=";

    public static string Sign(string secret, long timestamp, string body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(body);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>What a receiver does: true when <paramref name="signature"/> is the body's signature with this secret.</summary>
    public static bool Verify(string secret, string? timestamp, string body, string? signature) =>
        long.TryParse(timestamp, out var seconds) && signature is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, seconds, body)), Encoding.ASCII.GetBytes(signature));
}
