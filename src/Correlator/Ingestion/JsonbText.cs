using System.Text;

namespace Correlator.Ingestion;

/// <summary>
/// PostgreSQL's jsonb refuses <c>\u0000</c> (22P05) and unpaired surrogates, both of which a .NET string and
/// System.Text.Json happily hold. Text from outside that Correlator stores as its own (keys, ids, reasons) goes
/// through <see cref="Storable"/>; where the original matters it is kept besides, as bytes (base64).
/// </summary>
public static class JsonbText
{
    public const char Replacement = '\uFFFD';

    public static bool IsStorable(string? text)
    {
        if (text is null) return true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return false;
            }
            if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    /// <summary>The text with every character jsonb cannot hold replaced by U+FFFD (the same string when there is none).</summary>
    public static string? Storable(string? text)
    {
        if (IsStorable(text)) return text;
        var b = new StringBuilder(text!.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { b.Append(c).Append(text[++i]); continue; }
            b.Append(c == '\0' || char.IsSurrogate(c) ? Replacement : c);
        }
        return b.ToString();
    }
}
