using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correlator.Ingestion;

/// <summary>
/// Parses RFC 3339 date-times with an offset (<c>2024-07-19T04:09:00Z</c>, <c>2024-07-19t06:09:00.5+02:00</c>) to
/// UTC <see cref="DateTimeOffset"/>s. Stricter than the schema's <c>format</c>: the date must exist (no Feb 30).
/// Lower-case <c>t</c>/<c>z</c> are allowed; fractions beyond 100 ns are truncated. A leap second (<c>:60</c>) is
/// taken only where one was inserted (23:59:60 UTC on the days IERS announced, <see cref="LeapSecondDays"/>) and
/// becomes the first instant of the next minute, which <see cref="DateTimeOffset"/> can represent.
/// </summary>
public static class Rfc3339
{
    public static bool TryParse(string text, out DateTimeOffset value) => TryParse(Encoding.UTF8.GetBytes(text), out value);

    public static bool TryParse(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        // yyyy-MM-ddTHH:mm:ss is 19 characters, then an optional fraction, then Z or ±HH:MM.
        if (s.Length < 20
            || !Digits(s, 0, 4, out var year) || s[4] != '-'
            || !Digits(s, 5, 2, out var month) || s[7] != '-'
            || !Digits(s, 8, 2, out var day) || (s[10] | 0x20) != 't'
            || !Digits(s, 11, 2, out var hour) || s[13] != ':'
            || !Digits(s, 14, 2, out var minute) || s[16] != ':'
            || !Digits(s, 17, 2, out var second))
            return false;

        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            var start = i;
            var scale = TimeSpan.TicksPerSecond;
            while (i < s.Length && IsDigit(s[i]))
            {
                scale /= 10; // becomes 0 past 7 digits: the rest is truncated
                fractionTicks += (s[i] - '0') * scale;
                i++;
            }
            if (i == start) return false;
        }

        if (i >= s.Length) return false;
        TimeSpan offset;
        if ((s[i] | 0x20) == 'z' && i + 1 == s.Length)
            offset = TimeSpan.Zero;
        else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.Length
                 && Digits(s, i + 1, 2, out var offHours) && s[i + 3] == ':' && Digits(s, i + 4, 2, out var offMinutes)
                 && offHours <= 23 && offMinutes <= 59)
            offset = new TimeSpan(offHours, offMinutes, 0) * (s[i] == '-' ? -1 : 1);
        else
            return false;

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60)
            return false;

        var leap = second == 60;
        try
        {
            var local = new DateTime(year, month, day, hour, minute, leap ? 59 : second, DateTimeKind.Unspecified)
                .AddTicks(fractionTicks + (leap ? TimeSpan.TicksPerSecond : 0));
            value = new DateTimeOffset(local, offset).ToUniversalTime();
            // The instant after a real leap second is midnight UTC following a day in the table.
            return !leap || (value.AddTicks(-fractionTicks).TimeOfDay == TimeSpan.Zero && LeapSecondDays.Contains(DateOnly.FromDateTime(value.UtcDateTime.AddDays(-1))));
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // beyond year 1..9999 once the offset is applied
        }
    }

    /// <summary>
    /// The UTC days that ended with an inserted leap second (IERS Bulletin C; none since 2016, and none is
    /// scheduled: the CGPM voted in 2022 to stop inserting them by 2035). A new one is a one-line change here.
    /// </summary>
    public static readonly IReadOnlySet<DateOnly> LeapSecondDays = new HashSet<DateOnly>(new[]
    {
        "1972-06-30", "1972-12-31", "1973-12-31", "1974-12-31", "1975-12-31", "1976-12-31", "1977-12-31", "1978-12-31",
        "1979-12-31", "1981-06-30", "1982-06-30", "1983-06-30", "1985-06-30", "1987-12-31", "1989-12-31", "1990-12-31",
        "1992-06-30", "1993-06-30", "1994-06-30", "1995-12-31", "1997-06-30", "1998-12-31", "2005-12-31", "2008-12-31",
        "2012-06-30", "2015-06-30", "2016-12-31",
    }.Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (!IsDigit(s[i])) return false;
            value = value * 10 + (s[i] - '0');
        }
        return true;
    }

    /// <summary>Thrown while mapping a message whose timestamp passed the schema but is no real instant.</summary>
    internal sealed class BadTimestampException(string message) : JsonException(message);

    /// <summary>System.Text.Json converter: reads with <see cref="TryParse(ReadOnlySpan{byte}, out DateTimeOffset)"/>, writes UTC <c>Z</c> form.</summary>
    internal sealed class Converter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("a timestamp must be a string");
            var ok = reader is { HasValueSequence: false, ValueIsEscaped: false }
                ? TryParse(reader.ValueSpan, out var value)
                : TryParse(reader.GetString()!, out value);
            if (ok) return value;
            var text = reader.GetString()!;
            throw new BadTimestampException(text.Length > 19 && text[16] == ':' && text[17..19] == "60" && TryParse(text.Remove(17, 2).Insert(17, "59"), out _)
                ? $"'{text}' is a leap second where none was inserted (only at 23:59:60 UTC on the days IERS announced; the last was 2016-12-31)"
                : $"'{text}' is not a real RFC 3339 date and time with an offset");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().UtcDateTime);
    }
}
