using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Correlator.Alerts;

/// <summary>
/// The <c>Correlator-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "{t}.{body}"&gt;</c>.
/// A receiver copies <see cref="Verify"/> (it depends on nothing else in Correlator) and rejects what fails it.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Correlator-Signature";
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(5);

    public static string Sign(string secret, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>
    /// True when <paramref name="header"/> carries a timestamp within <paramref name="window"/> of <paramref name="now"/>
    /// (either way) and a <c>v1</c> signature of exactly these body bytes made with <paramref name="secret"/>.
    /// Several <c>v1=</c> entries are allowed (secret rotation); one match is enough.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan window)
    {
        if (string.IsNullOrEmpty(header)) return false;
        string? t = null;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Trim().Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t") t = kv[1];
            else if (kv[0] == "v1") signatures.Add(kv[1]);
        }
        if (t is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > window) return false;

        var expected = Mac(secret, t, body);
        foreach (var hex in signatures)
        {
            byte[] given;
            try { given = Convert.FromHexString(hex); } catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(given, expected)) return true;
        }
        return false;
    }

    private static byte[] Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(t + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
