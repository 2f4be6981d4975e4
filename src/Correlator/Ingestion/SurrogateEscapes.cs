namespace Correlator.Ingestion;

/// <summary>
/// Finds a <c>\uD800</c>–<c>\uDFFF</c> escape that is not half of a pair. Such a string is not Unicode text (RFC 8259
/// §8.2) and System.Text.Json throws <see cref="InvalidOperationException"/>, not <c>JsonException</c>, wherever it
/// decodes one (a property name in the duplicate check, an id, an enum), so it is refused up front, wherever it is.
/// </summary>
internal static class SurrogateEscapes
{
    /// <summary>The byte offset of the first unpaired surrogate escape, or -1.</summary>
    public static int FindUnpaired(ReadOnlySpan<byte> json)
    {
        for (var i = 0; i < json.Length - 1; i++)
        {
            if (json[i] != '\\') continue;
            if (json[i + 1] != 'u') { i++; continue; } // \\ \" \n …: skip the escaped character
            if (Hex(json, i + 2) is not { } unit) return -1; // not an escape the reader would take: its own error
            if (unit is >= 0xDC00 and <= 0xDFFF) return i;
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 11 < json.Length && json[i + 6] == '\\' && json[i + 7] == 'u' && Hex(json, i + 8) is >= 0xDC00 and <= 0xDFFF) { i += 11; continue; }
                return i;
            }
            i += 5;
        }
        return -1;
    }

    private static int? Hex(ReadOnlySpan<byte> s, int start)
    {
        if (start + 4 > s.Length) return null;
        var value = 0;
        for (var k = start; k < start + 4; k++)
        {
            var b = s[k] | 0x20;
            int d = b is >= '0' and <= '9' ? b - '0' : b is >= 'a' and <= 'f' ? b - 'a' + 10 : -1;
            if (d < 0) return null;
            value = value * 16 + d;
        }
        return value;
    }
}
