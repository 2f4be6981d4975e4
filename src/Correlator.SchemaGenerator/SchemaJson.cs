using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Correlator.SchemaGenerator;

/// <summary>
/// A minimal JSON reader for schema files: objects become ordered lists of members, arrays lists, numbers their
/// source text. System.Text.Json is not available to a generator inside every compiler host, and schemas are small.
/// </summary>
internal static class SchemaJson
{
    public sealed class Object(List<KeyValuePair<string, object?>> members)
    {
        public List<KeyValuePair<string, object?>> Members { get; } = members;

        public bool TryGet(string name, out object? value)
        {
            foreach (var m in Members)
                if (m.Key == name) { value = m.Value; return true; }
            value = null;
            return false;
        }
    }

    /// <summary>A number kept as written, so bounds are compared exactly as the schema states them.</summary>
    public sealed class Number(string text)
    {
        public string Text { get; } = text;
    }

    public static object? Parse(string text)
    {
        var i = 0;
        var value = Value(text, ref i);
        Space(text, ref i);
        if (i != text.Length) throw new FormatException($"unexpected '{text[i]}' at {i}");
        return value;
    }

    private static object? Value(string s, ref int i)
    {
        Space(s, ref i);
        if (i >= s.Length) throw new FormatException("unexpected end");
        switch (s[i])
        {
            case '{':
            {
                i++;
                var members = new List<KeyValuePair<string, object?>>();
                Space(s, ref i);
                if (s[i] == '}') { i++; return new Object(members); }
                while (true)
                {
                    Space(s, ref i);
                    var name = String(s, ref i);
                    Space(s, ref i);
                    Expect(s, ref i, ':');
                    members.Add(new KeyValuePair<string, object?>(name, Value(s, ref i)));
                    Space(s, ref i);
                    if (s[i] == ',') { i++; continue; }
                    Expect(s, ref i, '}');
                    return new Object(members);
                }
            }
            case '[':
            {
                i++;
                var items = new List<object?>();
                Space(s, ref i);
                if (s[i] == ']') { i++; return items; }
                while (true)
                {
                    items.Add(Value(s, ref i));
                    Space(s, ref i);
                    if (s[i] == ',') { i++; continue; }
                    Expect(s, ref i, ']');
                    return items;
                }
            }
            case '"':
                return String(s, ref i);
            case 't': Word(s, ref i, "true"); return true;
            case 'f': Word(s, ref i, "false"); return false;
            case 'n': Word(s, ref i, "null"); return null;
            default:
            {
                var start = i;
                while (i < s.Length && "+-0123456789.eE".IndexOf(s[i]) >= 0) i++;
                if (i == start) throw new FormatException($"unexpected '{s[i]}' at {i}");
                return new Number(s.Substring(start, i - start));
            }
        }
    }

    private static string String(string s, ref int i)
    {
        Expect(s, ref i, '"');
        var b = new StringBuilder();
        while (s[i] != '"')
        {
            if (s[i] != '\\') { b.Append(s[i++]); continue; }
            i++;
            switch (s[i++])
            {
                case '"': b.Append('"'); break;
                case '\\': b.Append('\\'); break;
                case '/': b.Append('/'); break;
                case 'b': b.Append('\b'); break;
                case 'f': b.Append('\f'); break;
                case 'n': b.Append('\n'); break;
                case 'r': b.Append('\r'); break;
                case 't': b.Append('\t'); break;
                case 'u': b.Append((char)int.Parse(s.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture)); i += 4; break;
                default: throw new FormatException($"bad escape at {i}");
            }
        }
        i++;
        return b.ToString();
    }

    private static void Word(string s, ref int i, string word)
    {
        if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0) throw new FormatException($"expected {word} at {i}");
        i += word.Length;
    }

    private static void Expect(string s, ref int i, char c)
    {
        if (i >= s.Length || s[i] != c) throw new FormatException($"expected '{c}' at {i}");
        i++;
    }

    private static void Space(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
    }
}
