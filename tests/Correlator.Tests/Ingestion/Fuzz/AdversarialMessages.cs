using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Correlator.Ingestion;
using CsCheck;

namespace Correlator.Tests.Ingestion.Fuzz;

public enum Expect { Accepted, Duplicate, Rejected }

/// <summary>
/// One generated Kafka record and what the contract says must become of it. <see cref="Code"/> is the rejection code
/// (<see cref="RejectionCodes"/>) a rejected one must carry. <see cref="Id"/> is the contract id of an accepted or duplicate one.
/// </summary>
public sealed record FuzzMessage(string Class, MessageKind Kind, byte[]? Key, byte[]? Value, Expect Expect, string? Code = null, string? Id = null)
{
    public override string ToString() => $"{Class} {Kind} {Expect} {Code} {(Value is null ? "null" : Encoding.UTF8.GetString(Value.AsSpan(0, Math.Min(Value.Length, 160))))}";
}

/// <summary>
/// CsCheck generators of adversarial traffic for the three input topics: valid messages with hostile but legal content
/// (odd Unicode, BOM characters inside strings, hostile keys, unknown fields holding NUL, lone surrogates, 1e400 and
/// nesting), redeliveries, and every way of breaking the contract (invalid UTF-8, a BOM, truncation, deep nesting,
/// duplicate names, wrong types, missing fields, bad enums and ids, extreme numbers, impossible timestamps and leap
/// seconds, U+0000, oversize values, values the store refuses). The expected outcome comes from the contract, not from
/// running the validator.
/// </summary>
public static class AdversarialMessages
{
    /// <summary>The host's configured limit in the fuzz run: 64 KiB keeps oversize values cheap for the embedded broker.</summary>
    public const int MaxBytes = 64 * 1024;

    private static readonly JsonSerializerOptions Escaped = new() { Encoder = JavaScriptEncoder.Default };
    private static readonly JsonSerializerOptions Raw = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A scenario of <paramref name="count"/> records; duplicates and re-sends refer to earlier records of the same run.</summary>
    public static Gen<FuzzMessage[]> Scenario(int count) =>
        Gen.Frequency(Weighted).Array[count].Select(Resolve);

    private static (int, IGen<Template>)[] Weighted =>
    [
        (300, Valid.Select(v => Template.Of("valid", i => v(i)))),
        (40, Gen.Select(Valid, HostileKey).Select((v, key) => Template.Of("valid, hostile key", i => v(i) with { Key = key }))),
        (60, Gen.Select(Valid, UnknownField).Select((v, extra) => Template.Of("valid, hostile unknown field", i => With(v(i), extra)))),
        (5, LeapSecondValid),
        (20, ExtremeValidNumber),
        (2, Gen.Select(Valid, Gen.Int[20_000, 60_000]).Select((v, n) => Template.Of("valid, huge string", i => HugeString(v(i), n)))),
        (60, Gen.Select(Gen.Int, HostileKey).Select((pick, key) => Template.Repeat("redelivery", pick, key))),
        (10, Gen.Int.Select(pick => Template.SameIdOtherTopic(pick))),
        (40, Gen.Select(Valid, Gen.Int[0, 1_000_000], Gen.OneOf(InvalidUtf8)).Select((v, at, bad) => Template.Of("invalid UTF-8", i => Bytes(v(i), b => Insert(b, at % b.Length, bad), RejectionCodes.NotJson)))),
        (15, Valid.Select(v => Template.Of("BOM", i => Bytes(v(i), b => [0xEF, 0xBB, 0xBF, .. b], RejectionCodes.NotJson)))),
        (10, Valid.Select(v => Template.Of("empty", i => Bytes(v(i), _ => [], RejectionCodes.NotJson)))),
        (10, Valid.Select(v => Template.Of("tombstone", i => v(i) with { Value = null, Expect = Expect.Rejected, Code = RejectionCodes.NotJson, Id = null }))),
        (40, Gen.Select(Valid, Gen.Int[0, 1_000_000]).Select((v, at) => Template.Of("truncated", i => Bytes(v(i), b => b[..(at % b.Length)], RejectionCodes.NotJson)))),
        (30, Gen.Select(Valid, Gen.Int[65, 3_000], Gen.Bool).Select((v, depth, arrays) => Template.Of("deep nesting", i => Rejected(With(v(i), $"\"deep\":{Nest(depth, arrays)}"), RejectionCodes.NotJson)))),
        (30, Gen.Select(Valid, Gen.Bool).Select((v, top) => Template.Of("duplicate name", i => Rejected(DuplicateName(v(i), top), RejectionCodes.NotJson)))),
        (30, Gen.Select(Valid, Gen.OneOf(NotObjects)).Select((v, wrap) => Template.Of("not an object", i => Bytes(v(i), wrap, RejectionCodes.NotObject)))),
        (60, Gen.Select(Valid, Gen.Int[0, 100], Gen.OneOf(WrongValues)).Select((v, pick, wrong) => Template.Of("wrong type", i => WrongType(v(i), RequiredField(v(i), pick), wrong())))),
        (40, Gen.Select(Valid, Gen.Int[0, 100]).Select((v, pick) => Template.Of("missing field", i => Missing(v(i), RequiredField(v(i), pick))))),
        (30, Gen.Select(Valid, Gen.OneOf("solaris", "Windows", "", "WINDOWS", "kernel ", "operational\u0301")).Select((v, bad) => Template.Of("bad enum", i => BadEnum(v(i), bad)))),
        (20, Gen.Select(Valid, Gen.Int[129, 600]).Select((v, n) => Template.Of("bad id", i => Rejected(Set(v(i), "id", n % 7 == 0 ? "" : "x" + new string('i', n)), RejectionCodes.Schema)))),
        (20, Gen.Select(Release, Gen.OneOf("1e400", "-1e400", "1e-400", "-1e-999", "-1", "100.5", "1e3", "100.0000000000000000000000001", "\"50\"", "null")).Select((r, n) => Template.Of("bad number", i => Rejected(Percent(r(i), n), RejectionCodes.Schema)))),
        (50, Gen.Select(Valid, Gen.OneOf(BadTimestamps), Gen.Int[0, 9]).Select((v, t, which) => Template.Of("bad timestamp", i => BadTime(v(i), t, which)))),
        (30, Gen.Select(Valid, Gen.Int[0, 100], Gen.Int[0, 8]).Select((v, pick, at) => Template.Of("U+0000 in a field", i => Nul(v(i), pick, at)))),
        (20, Gen.Select(Valid, Gen.Int[0, 100], Gen.OneOf("\\ud800", "\\udfff", "x\\udc00y", "\\ud83d", "\\uDBFF\\u0041"), Gen.Int[0, 2]).Select((v, pick, lone, where) => Template.Of("lone surrogate", i => Lone(v(i), pick, lone, where)))),
        (15, Gen.Select(Installation, Gen.OneOf("rollback", "RELEASE", "", "release ", "Recall")).Select((m, type) => Template.Of("unknown type", i => Rejected(Set(m(i), "type", type), RejectionCodes.UnknownType)))),
        (1, Valid.Select(v => Template.Of("too large", i => TooLarge(v(i))))),
        (1, Crash.Select(c => Template.Of("store refuses it", i => Rejected(Set(c(i), "hostId", IngestionResilienceTests.UnindexableHostId()), RejectionCodes.StoreError)))),
        (20, Gen.Int.Select(pick => Template.Resend(pick))),
    ];

    // ---- valid messages -----------------------------------------------------------------------------------------

    /// <summary>Text a producer may legally send: odd scripts, emoji, BOM and bidi characters, control characters, quotes.</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
        (10, Gen.String["abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/"]),
        (1, Gen.OneOf("\uFEFF", "\u202E", "e\u0301", "\U0001F4A5", "中文", "العربية", "\t\n\r", "\u0001\u001F", "\"\\/", "\u2028\u2029", "\uFFFF", "<script>", "' or 1=1 --")),
        (1, Gen.Const("")))
        .Array[0, 6].Select(parts => string.Concat(parts));

    private static readonly Gen<string> Name = Gen.Select(Text, Gen.Int[0, 9999]).Select((t, n) => t.Length > 60 ? t[..60] + n : t + n);

    private static readonly Gen<string> Timestamp = Gen.Select(Gen.Int[1970, 2100], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 86_399],
            Gen.OneOf("", ".5", ".123456789", ".0000001"), Gen.OneOf("Z", "z", "+00:00", "-05:00", "+14:00", "+05:45", "-00:00"), Gen.Bool)
        .Select((y, mo, d, s, frac, off, lower) => $"{y:0000}-{mo:00}-{d:00}{(lower ? 't' : 'T')}{s / 3600:00}:{s / 60 % 60:00}:{s % 60:00}{frac}{off}");

    private static Gen<Func<int, FuzzMessage>> Crash => Gen.Select(Name, Timestamp, Gen.OneOf("windows", "linux", "macos"), Gen.OneOf("kernel", "user"),
            Gen.Select(Name, Gen.Int[0, 0xFFFF], Gen.Int[0, 12], Gen.Bool))
        .Select((host, at, platform, kind, more) => (Func<int, FuzzMessage>)(i =>
        {
            var (region, code, frames, raw) = more;
            var o = new JsonObject { ["id"] = $"c-{i}", ["hostId"] = host, ["occurredAt"] = at, ["platform"] = platform, ["kind"] = kind, ["region"] = region, ["bugcheckCode"] = $"0x{code:X}" };
            if (frames > 0) o["stack"] = new JsonArray(Enumerable.Range(0, frames).Select(f => (JsonNode)new JsonObject { ["module"] = $"{host}{f}.sys", ["offset"] = $"0x{f:x}" }).ToArray());
            return Message("valid", MessageKind.Crash, o, raw, $"c-{i}");
        }));

    private static Gen<Func<int, FuzzMessage>> Status => Gen.Select(Name, Gen.OneOf("operational", "degraded", "partial_outage", "major_outage", "maintenance"), Timestamp, Name, Text, Gen.Bool)
        .Select((service, status, at, region, message, raw) => (Func<int, FuzzMessage>)(i =>
            Message("valid", MessageKind.Status, new JsonObject { ["id"] = $"s-{i}", ["service"] = service, ["status"] = status, ["observedAt"] = at, ["region"] = region, ["message"] = message }, raw, $"s-{i}")));

    private static Gen<Func<int, FuzzMessage>> Release => Gen.Select(Name, Name, Timestamp, Gen.Double[0, 100], Gen.Bool)
        .Select((update, vendor, at, percent, raw) => (Func<int, FuzzMessage>)(i =>
            Message("valid", MessageKind.Manifest, new JsonObject
            {
                ["id"] = $"r-{i}", ["type"] = "release", ["updateId"] = update, ["vendor"] = vendor, ["product"] = "p", ["version"] = "1.0", ["releasedAt"] = at,
                ["rollout"] = new JsonArray(new JsonObject { ["startsAt"] = at, ["percent"] = percent }),
            }, raw, $"r-{i}")));

    private static Gen<Func<int, FuzzMessage>> Installation => Gen.Select(Name, Name, Timestamp, Gen.Bool)
        .Select((update, host, at, raw) => (Func<int, FuzzMessage>)(i =>
            Message("valid", MessageKind.Manifest, new JsonObject { ["id"] = $"i-{i}", ["type"] = "installation", ["updateId"] = update, ["hostId"] = host, ["installedAt"] = at }, raw, $"i-{i}")));

    private static Gen<Func<int, FuzzMessage>> Recall => Gen.Select(Name, Timestamp, Text, Gen.Bool)
        .Select((update, at, reason, raw) => (Func<int, FuzzMessage>)(i =>
            Message("valid", MessageKind.Manifest, new JsonObject { ["id"] = $"x-{i}", ["type"] = "recall", ["updateId"] = update, ["recalledAt"] = at, ["reason"] = reason }, raw, $"x-{i}")));

    private static Gen<Func<int, FuzzMessage>> Valid => Gen.Frequency((4, Crash), (3, Status), (1, Release), (1, Installation), (1, Recall));

    /// <summary>Keys a producer may send: none, empty, NUL, bytes that are not UTF-8, 10 KB.</summary>
    private static readonly Gen<byte[]?> HostileKey = Gen.OneOf<byte[]?>(
        null, [], "a\0b"u8.ToArray(), [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xC0, 0xAF], "\uFEFFkey"u8.ToArray(), Encoding.UTF8.GetBytes(new string('k', 10_000)), "\U0001F4A5"u8.ToArray());

    /// <summary>Unknown fields are ignored by the contract, whatever they hold (nothing of them is stored).</summary>
    private static readonly Gen<string> UnknownField = Gen.OneOf(
        "\"zz\":1e400", "\"zz\":-1e400", "\"zz\":1e-400", "\"zz\":123456789012345678901234567890123456789", "\"zz\":\"a\\u0000b\"", "\"zz\":\"\\ud83d\\udca5 paired\"",
        "\"a\\u0000b\":1", "\"\\\\ud800\":\"an escaped backslash, not an escape\"", $"\"zz\":{Nest(60, true)}", $"\"zz\":{Nest(60, false)}", "\"zz\":{\"id\":\"not-the-id\"}", "\"ID\":\"case matters\"",
        "\"receivedAt\":\"1999-01-01T00:00:00Z\"", "\"observedAt2\":null", "\"\":\"\"", "\"zz\":[]");

    private static Gen<Template> LeapSecondValid => Gen.Select(Crash, Gen.OneOf("2016-12-31T23:59:60Z", "2016-12-31T18:59:60-05:00", "1972-06-30T23:59:60Z", "2015-06-30T23:59:60.999Z", "2012-07-01T05:29:60+05:30"))
        .Select((c, t) => Template.Of("valid, leap second", i => Rejected(Set(c(i), "occurredAt", t), null) with { Expect = Expect.Accepted, Code = null, Id = c(i).Id }));

    private static Gen<Template> ExtremeValidNumber => Gen.Select(Release, Gen.OneOf("0", "-0", "100", "1e-300", "4.9e-324", "99.99999999999999999999", "1E2", "0.0e0", "1e-5"))
        .Select((r, n) => Template.Of("valid, extreme number", i => Rejected(Percent(r(i), n), null) with { Expect = Expect.Accepted, Code = null, Id = r(i).Id }));

    // ---- broken messages ----------------------------------------------------------------------------------------

    private static readonly byte[][] InvalidUtf8 = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]];

    private static readonly Func<byte[], byte[]>[] NotObjects =
    [
        b => [(byte)'[', .. b, (byte)']'], _ => "\"a string\""u8.ToArray(), _ => "42"u8.ToArray(), _ => "true"u8.ToArray(), _ => "null"u8.ToArray(), _ => " [] "u8.ToArray(),
    ];

    private static readonly Func<JsonNode?>[] WrongValues = [() => 42, () => true, () => new JsonArray(), () => new JsonObject(), () => JsonValue.Create(-1.5), () => null];

    private static readonly string[] BadTimestamps =
    [
        "2024-02-30T04:09:00Z", "2023-02-29T00:00:00Z", "2024-07-19T24:00:00Z", "2024-07-19T04:60:00Z", "2024-07-19T04:09:00", "2024-07-19 04:09:00Z",
        "2024-07-19T04:09:00+0200", "2024-07-19T23:59:60Z", "2017-12-31T23:59:60Z", "2016-12-31T22:59:60Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00", "yesterday", "", "2024-07-19T04:09:00.Z", "2024-07-19T04:09:00Z ", "+2024-07-19T04:09:00Z", "2024-W29-5T04:09:00Z",
    ];

    private static FuzzMessage Message(string cls, MessageKind kind, JsonObject o, bool raw, string id) =>
        new(cls, kind, Encoding.UTF8.GetBytes(id), JsonSerializer.SerializeToUtf8Bytes(o, raw ? Raw : Escaped), Expect.Accepted, null, id);

    private static JsonObject Parse(FuzzMessage m) => JsonNode.Parse(m.Value!)!.AsObject();

    private static FuzzMessage Rejected(FuzzMessage m, string? code) => m with { Expect = Expect.Rejected, Code = code, Id = null };

    private static FuzzMessage Bytes(FuzzMessage m, Func<byte[], byte[]> change, string code) => Rejected(m with { Value = change(m.Value!) }, code);

    private static FuzzMessage With(FuzzMessage m, string field) =>
        m with { Value = [.. m.Value.AsSpan(0, m.Value!.Length - 1), .. Encoding.UTF8.GetBytes("," + field + "}")] };

    private static FuzzMessage Set(FuzzMessage m, string field, JsonNode? value)
    {
        var o = Parse(m);
        o[field] = value;
        return m with { Value = JsonSerializer.SerializeToUtf8Bytes(o, Escaped) };
    }

    /// <summary>A timestamp of the wrong type is a bad timestamp (its schema is <c>$defs/timestamp</c>); any other field's is a schema fault.</summary>
    private static FuzzMessage WrongType(FuzzMessage m, string field, JsonNode? value) =>
        Rejected(Set(m, field, value), field.EndsWith("At", StringComparison.Ordinal) ? RejectionCodes.BadTimestamp : RejectionCodes.Schema);

    private static FuzzMessage Missing(FuzzMessage m, string field)
    {
        var o = Parse(m);
        o.Remove(field);
        return Rejected(m with { Value = JsonSerializer.SerializeToUtf8Bytes(o, Escaped) }, RejectionCodes.Schema);
    }

    private static string RequiredField(FuzzMessage m, int pick)
    {
        string[] fields = m.Kind switch
        {
            MessageKind.Crash => ["id", "hostId", "occurredAt", "platform", "kind"],
            MessageKind.Status => ["id", "service", "status", "observedAt"],
            _ => Parse(m)["type"]!.GetValue<string>() switch
            {
                "release" => ["id", "updateId", "vendor", "product", "version", "releasedAt"],
                "recall" => ["id", "updateId", "recalledAt"],
                _ => ["id", "updateId", "hostId", "installedAt"],
            },
        };
        return fields[pick % fields.Length];
    }

    private static FuzzMessage BadEnum(FuzzMessage m, string bad) => m.Kind switch
    {
        MessageKind.Crash => Rejected(Set(m, bad.Length % 2 == 0 ? "platform" : "kind", bad), RejectionCodes.Schema),
        MessageKind.Status => Rejected(Set(m, "status", bad), RejectionCodes.Schema),
        _ => Rejected(Set(m, "type", bad), RejectionCodes.UnknownType),
    };

    private static FuzzMessage BadTime(FuzzMessage m, string t, int which)
    {
        var o = Parse(m);
        var field = o.Select(p => p.Key).First(k => k.EndsWith("At", StringComparison.Ordinal));
        if (which == 0 && o["rollout"] is JsonArray waves) waves[0]!["startsAt"] = t; else o[field] = t;
        return Rejected(m with { Value = JsonSerializer.SerializeToUtf8Bytes(o, which % 2 == 0 ? Raw : Escaped) }, RejectionCodes.BadTimestamp);
    }

    private static FuzzMessage Percent(FuzzMessage r, string number)
    {
        var json = Encoding.UTF8.GetString(r.Value!);
        var at = json.IndexOf("\"percent\":", StringComparison.Ordinal) + "\"percent\":".Length;
        var end = json.IndexOfAny(['}', ','], at);
        return r with { Value = Encoding.UTF8.GetBytes(json[..at] + number + json[end..]) };
    }

    private static FuzzMessage Nul(FuzzMessage m, int field, int at)
    {
        var name = RequiredField(m, field) is var f && f.EndsWith("At", StringComparison.Ordinal) || f is "platform" or "kind" or "status" ? "id" : f;
        var o = Parse(m);
        var text = o[name]!.GetValue<string>();
        o[name] = text.Insert(Math.Min(at, text.Length), "\0");
        return Rejected(m with { Value = JsonSerializer.SerializeToUtf8Bytes(o, Escaped) }, RejectionCodes.Unstorable);
    }

    /// <summary>An unpaired surrogate escape in a known field, an unknown field or a property name: not Unicode text, refused wherever it is.</summary>
    private static FuzzMessage Lone(FuzzMessage m, int field, string lone, int where)
    {
        if (where == 1) return Rejected(With(m, $"\"zz\":\"{lone}\""), RejectionCodes.NotJson);
        if (where == 2) return Rejected(With(m, $"\"{lone}\":1"), RejectionCodes.NotJson);
        var name = RequiredField(m, field) is var f && f.EndsWith("At", StringComparison.Ordinal) || f is "platform" or "kind" or "status" ? "id" : f;
        var json = Encoding.UTF8.GetString(m.Value!);
        var at = json.IndexOf($"\"{name}\":\"", StringComparison.Ordinal) + name.Length + 4;
        return Rejected(m with { Value = Encoding.UTF8.GetBytes(json.Insert(at, lone)) }, RejectionCodes.NotJson);
    }

    private static FuzzMessage DuplicateName(FuzzMessage m, bool top)
    {
        var json = Encoding.UTF8.GetString(m.Value!);
        var dup = top ? "\"id\":\"other\"," : "\"zz\":{\"a\":1,\"a\":1},";
        return m with { Value = Encoding.UTF8.GetBytes(json.Insert(1, dup)) };
    }

    private static FuzzMessage HugeString(FuzzMessage m, int length) =>
        With(m, $"\"zz\":\"{new string('h', length)}\"") with { Class = "valid, huge string" };

    private static FuzzMessage TooLarge(FuzzMessage m) => Rejected(With(m, $"\"zz\":\"{new string('L', MaxBytes)}\""), RejectionCodes.TooLarge);

    private static string Nest(int depth, bool arrays) =>
        arrays ? new string('[', depth) + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static byte[] Insert(byte[] b, int at, byte[] bad) => [.. b.AsSpan(0, at), .. bad, .. b.AsSpan(at)];

    // ---- templates and references to earlier records ------------------------------------------------------------

    /// <summary>A record made from its position in the run (ids are unique by position), or a reference to an earlier one.</summary>
    public sealed record Template(string Class, Func<int, FuzzMessage>? Make, string? Reference = null, int Pick = 0, byte[]? Key = null)
    {
        public static Template Of(string cls, Func<int, FuzzMessage> make) => new(cls, i => make(i) with { Class = cls });
        public static Template Repeat(string cls, int pick, byte[]? key) => new(cls, null, "accepted", pick, key);
        public static Template SameIdOtherTopic(int pick) => new("same id, other topic", null, "other-topic", pick);
        public static Template Resend(int pick) => new("re-sent malformed", null, "rejected", pick);
    }

    private static FuzzMessage[] Resolve(Template[] templates)
    {
        var all = new FuzzMessage[templates.Length];
        var accepted = new List<FuzzMessage>();
        var rejected = new List<FuzzMessage>();
        var ids = new HashSet<(MessageKind, string)>();
        for (var i = 0; i < templates.Length; i++)
        {
            var t = templates[i];
            var m = t.Make is not null ? t.Make(i) : Refer(t, i, accepted, rejected, ids);
            if (m.Expect == Expect.Accepted && !ids.Add((m.Kind, m.Id!))) m = m with { Expect = Expect.Duplicate };
            if (m.Expect == Expect.Accepted) accepted.Add(m);
            if (m.Expect == Expect.Rejected && m.Class != "re-sent malformed") rejected.Add(m);
            all[i] = m;
        }
        return all;
    }

    private static FuzzMessage Refer(Template t, int i, List<FuzzMessage> accepted, List<FuzzMessage> rejected, HashSet<(MessageKind, string)> ids)
    {
        var pick = (int)((uint)t.Pick % 1_000_000);
        switch (t.Reference)
        {
            case "accepted" when accepted.Count > 0:
                return accepted[pick % accepted.Count] with { Class = t.Class, Key = t.Key, Expect = Expect.Duplicate };
            case "other-topic" when accepted.Count > 0:
                // The receipt is (topic, id): the same id on another topic is another message.
                var original = accepted[pick % accepted.Count];
                var kind = original.Kind == MessageKind.Status ? MessageKind.Crash : MessageKind.Status;
                var json = kind == MessageKind.Crash
                    ? $$"""{"id":"{{original.Id}}","hostId":"h","occurredAt":"2024-07-19T04:15:00Z","platform":"linux","kind":"user"}"""
                    : $$"""{"id":"{{original.Id}}","service":"s","status":"degraded","observedAt":"2024-07-19T04:15:00Z"}""";
                var m = new FuzzMessage(t.Class, kind, null, Encoding.UTF8.GetBytes(json), Expect.Accepted, null, original.Id);
                return ids.Contains((kind, original.Id!)) ? m with { Expect = Expect.Duplicate } : m;
            case "rejected" when rejected.Count > 0:
                return rejected[pick % rejected.Count] with { Class = t.Class };
            default:
                // Nothing earlier to refer to (the first records of a run): a plain valid message instead.
                return new FuzzMessage("valid", MessageKind.Status, null, Encoding.UTF8.GetBytes($$"""{"id":"fill-{{i}}","service":"s","status":"operational","observedAt":"2024-07-19T04:15:00Z"}"""), Expect.Accepted, null, $"fill-{i}");
        }
    }
}
