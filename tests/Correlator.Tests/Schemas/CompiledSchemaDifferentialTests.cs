using System.Text;
using System.Text.Json.Nodes;
using Correlator.Ingestion;
using Xunit.Abstractions;

namespace Correlator.Tests.Schemas;

/// <summary>
/// The compiled schemas (Correlator.SchemaGenerator) against JsonSchema.Net, the reference, on generated messages:
/// valid ones, valid ones with one to three mutations, and random bytes and values. Every decision the compiled code
/// makes must agree (it leaves a message holding a number beyond decimal to the reference); for every eighth message
/// the whole validation outcome (record, or code and reason) must equal the reference path's.
/// </summary>
public class CompiledSchemaDifferentialTests(ITestOutputHelper output)
{
    private const int PerKind = 36_000; // × 3 kinds = 108,000 messages

    private static readonly MessageValidator Validator = new();

    [Theory]
    [InlineData(MessageKind.Crash)]
    [InlineData(MessageKind.Status)]
    [InlineData(MessageKind.Manifest)]
    public void Compiled_and_reference_schemas_decide_alike(MessageKind kind)
    {
        var disagreements = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var tally = new int[3, 2]; // [valid|mutated|random, reference rejects|accepts]
        var undecided = 0;
        Parallel.For(0, PerKind, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var random = new Random((int)kind * 1_000_003 + i); // reproducible: HashCode is seeded per process
            var category = i % 10 < 3 ? 0 : i % 10 < 9 ? 1 : 2;
            var bytes = category switch
            {
                0 => Encoding.UTF8.GetBytes(MessageGenerator.Valid(kind, random).ToJsonString()),
                1 => MessageGenerator.Mutated(kind, random),
                _ => MessageGenerator.Random(random),
            };
            var reference = MessageValidator.ConformsByReference(kind, bytes);
            var compiled = MessageValidator.Conforms(kind, bytes);
            Interlocked.Increment(ref tally[category, reference ? 1 : 0]);
            if (compiled is null) Interlocked.Increment(ref undecided);
            else if (compiled != reference)
                disagreements.Enqueue($"reference {(reference ? "accepts" : "rejects")}, compiled {(compiled == true ? "accepts" : "rejects")}: {Show(bytes)}");
            if (i % 8 == 0)
            {
                var expected = Validator.ValidateByReference(kind, bytes);
                var actual = Validator.Validate(kind, bytes);
                if (Outcome(expected) != Outcome(actual))
                    disagreements.Enqueue($"outcome {Outcome(actual)}, reference {Outcome(expected)}: {Show(bytes)}");
            }
        });
        output.WriteLine($"{kind}: valid {tally[0, 1]}/{tally[0, 0] + tally[0, 1]} accepted, mutated {tally[1, 1]}/{tally[1, 0] + tally[1, 1]}, random {tally[2, 1]}/{tally[2, 0] + tally[2, 1]}, left to the reference {undecided}");
        Assert.True(disagreements.IsEmpty, $"{disagreements.Count} disagreements, first: {string.Join("\n", disagreements.Take(5))}");
        // The generator must keep exercising both answers, or agreement says nothing.
        Assert.Equal(0, tally[0, 0]);
        Assert.InRange(tally[1, 1], PerKind / 20, PerKind);
        Assert.InRange(tally[1, 0], PerKind / 5, PerKind);
        // Numbers beyond decimal are the only messages the compiled code leaves to the reference (the mutations
        // inject them on purpose, about 1.5% of manifests; real traffic has next to none).
        Assert.InRange(undecided, 0, PerKind / 20);
    }

    private static string Outcome(ValidationResult r) => r switch
    {
        ValidationResult.Accepted a => $"accepted {a.Id} {a.EventTime:O} {System.Text.Json.JsonSerializer.Serialize(a.Event, a.Event.GetType())}",
        ValidationResult.Rejected j => $"rejected {j.MessageId} {j.Code}: {j.Reason}",
        _ => "?",
    };

    private static string Show(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        return text.Length <= 400 ? text : text[..400] + "…";
    }
}

/// <summary>Contract messages from a seeded <see cref="Random"/>: valid, mutated, or noise.</summary>
internal static class MessageGenerator
{
    private static readonly string[] Platforms = ["windows", "linux", "macos"];
    private static readonly string[] Statuses = ["operational", "degraded", "partial_outage", "major_outage", "maintenance"];
    private static readonly string[] Kinds = ["content", "agent", "os-patch", "driver", "firmware", "config", "application"];

    public static JsonObject Valid(MessageKind kind, Random r) => kind switch
    {
        MessageKind.Crash => Crash(r),
        MessageKind.Status => Status(r),
        _ => (r.Next(3)) switch { 0 => Release(r), 1 => Recall(r), _ => Installation(r) },
    };

    private static JsonObject Crash(Random r)
    {
        var o = new JsonObject
        {
            ["id"] = Id(r), ["hostId"] = Word(r), ["occurredAt"] = Timestamp(r), ["platform"] = Pick(r, Platforms),
            ["kind"] = r.Next(2) == 0 ? "kernel" : "user",
        };
        Maybe(r, o, "osVersion", () => Word(r));
        Maybe(r, o, "region", () => Word(r));
        Maybe(r, o, "fleet", () => Word(r));
        Maybe(r, o, "bugcheckCode", () => Hex(r));
        Maybe(r, o, "exceptionCode", () => Hex(r));
        Maybe(r, o, "signal", () => "SIGSEGV");
        Maybe(r, o, "process", () => Word(r));
        Maybe(r, o, "panicMessage", () => Word(r));
        Maybe(r, o, "faultingModule", () => Obj(("name", Word(r)), ("version", r.Next(2) == 0 ? Word(r) : null), ("offset", r.Next(2) == 0 ? Hex(r) : null)));
        Maybe(r, o, "stack", () => Array(r, r.Next(4) == 0 ? 250 + r.Next(10) : 5, () => Obj(("module", Word(r)), ("function", r.Next(2) == 0 ? Word(r) : null), ("offset", r.Next(2) == 0 ? Hex(r) : null))));
        Maybe(r, o, "modules", () => Array(r, 30, () => Obj(("name", Word(r)), ("version", r.Next(2) == 0 ? Word(r) : null))));
        Maybe(r, o, "dumpUri", () => "https://dumps/" + Word(r));
        Maybe(r, o, "dumpSha256", () => Word(r));
        Unknown(r, o);
        // The contract bounds stack at 256 frames and modules at 2048: keep valid ones valid.
        if (o["stack"] is JsonArray stack) while (stack.Count > 256) stack.RemoveAt(0);
        return o;
    }

    private static JsonObject Status(Random r)
    {
        var o = new JsonObject { ["id"] = Id(r), ["service"] = Word(r), ["status"] = Pick(r, Statuses), ["observedAt"] = Timestamp(r) };
        foreach (var f in new[] { "region", "component", "source", "message" }) Maybe(r, o, f, () => Word(r));
        Unknown(r, o);
        return o;
    }

    private static JsonObject Release(Random r)
    {
        var o = new JsonObject
        {
            ["id"] = Id(r), ["type"] = "release", ["updateId"] = Word(r), ["vendor"] = Word(r), ["product"] = Word(r),
            ["version"] = Word(r), ["releasedAt"] = Timestamp(r),
        };
        Maybe(r, o, "kind", () => Pick(r, Kinds));
        Maybe(r, o, "platforms", () => Array(r, 3, () => Pick(r, Platforms)));
        Maybe(r, o, "targets", () => Obj(("regions", Strings(r)), ("services", r.Next(2) == 0 ? Strings(r) : null), ("fleets", null), ("osVersions", r.Next(2) == 0 ? Strings(r) : null)));
        Maybe(r, o, "artifacts", () => Array(r, 3, () => Obj(("name", Word(r)), ("version", r.Next(2) == 0 ? Word(r) : null), ("sha256", r.Next(2) == 0 ? Word(r) : null))));
        Maybe(r, o, "affects", () => Strings(r));
        Maybe(r, o, "rollout", () => Array(r, 3, () => Obj(("startsAt", Timestamp(r)), ("percent", Percent(r)))));
        Maybe(r, o, "supersedes", () => Word(r));
        Unknown(r, o);
        return o;
    }

    private static JsonObject Recall(Random r)
    {
        var o = new JsonObject { ["id"] = Id(r), ["type"] = "recall", ["updateId"] = Word(r), ["recalledAt"] = Timestamp(r) };
        Maybe(r, o, "reason", () => Word(r));
        Unknown(r, o);
        return o;
    }

    private static JsonObject Installation(Random r)
    {
        var o = new JsonObject { ["id"] = Id(r), ["type"] = "installation", ["updateId"] = Word(r), ["hostId"] = Word(r), ["installedAt"] = Timestamp(r) };
        Unknown(r, o);
        return o;
    }

    /// <summary>A valid message with one to three changes, some of which keep it valid.</summary>
    public static byte[] Mutated(MessageKind kind, Random r)
    {
        var message = Valid(kind, r);
        var changes = 1 + r.Next(3);
        for (var c = 0; c < changes; c++) Mutate(message, r, kind);
        var text = message.ToJsonString();
        return r.Next(12) switch
        {
            0 => Encoding.UTF8.GetBytes(DuplicateKey(text, r)),
            1 => Encoding.UTF8.GetBytes(text[..r.Next(text.Length)]), // truncated
            2 => Encoding.UTF8.GetBytes(text + (r.Next(2) == 0 ? " " : " {}")),
            3 => Encoding.UTF8.GetBytes($"[{text}]"),
            _ => Encoding.UTF8.GetBytes(text),
        };
    }

    private static void Mutate(JsonObject message, Random r, MessageKind kind)
    {
        var (parent, key) = PickSlot(message, r);
        switch (r.Next(10))
        {
            case 0: Remove(parent, key); break;
            case 1: Set(parent, key, AnyValue(r, 2)); break;
            case 2: Set(parent, key, Pick(r, EdgeStrings)); break;
            case 3: Set(parent, key, Pick(r, EdgeTimestamps)); break;
            case 4: Set(parent, key, Pick(r, EdgeHex)); break;
            case 5: Set(parent, key, Pick(r, EdgeNumbers)()); break;
            case 6: message["type"] = Pick(r, ["release", "recall", "installation", "Release", "install", ""]); break;
            case 7: message[Pick(r, ["id", "occurredAt", "observedAt", "releasedAt", "percent", "platform", "status", "kind"])] = Pick(r, EdgeStrings); break;
            case 8:
                if (message["rollout"] is JsonArray { Count: > 0 } waves && waves[0] is JsonObject wave) wave["percent"] = Pick(r, EdgeNumbers)();
                else if (message["stack"] is JsonArray stack) while (stack.Count <= 256) stack.Add(Obj(("module", "m")));
                else message["id"] = new string('x', 127 + r.Next(3));
                break;
            default: Unknown(r, message); break;
        }
    }

    private static readonly string[] EdgeStrings =
    [
        "", "x", "windows", "Windows", "kernel", "degraded", "release", "content", "\u0000", "e\u0301", "\ud83d\ude00",
        new string('a', 128), new string('a', 129), string.Concat(Enumerable.Repeat("e\u0301", 128)), string.Concat(Enumerable.Repeat("e\u0301", 129)),
        string.Concat(Enumerable.Repeat("\ud83d\ude00", 100)), "2024-07-19T04:09:00Z", "0x50",
    ];

    private static readonly string[] EdgeTimestamps =
    [
        "2024-07-19T04:09:00Z", "2024-07-19t04:09:00z", "2024-07-19T04:09:00.123456789+05:30", "2024-07-19T04:09:00", "2024-07-19 04:09:00Z",
        "2024-02-30T04:09:00Z", "2024-13-01T00:00:00Z", "2024-07-19T24:00:00Z", "2024-07-19T23:59:60Z", "2024-07-19T04:09:00+24:00",
        "2024-07-19T04:09:00Z\n", "\n2024-07-19T04:09:00Z", "２０２４-07-19T04:09:00Z", "2024-07-19T04:09:00.Z", "2024-07-19T04:09:00-00:00",
    ];

    private static readonly string[] EdgeHex = ["0x50", "0X1f", "0x", "50", "0xG1", "0x00000050", "0x50\n", "0x٣"];

    private static readonly Func<JsonNode?>[] EdgeNumbers =
    [
        () => 0, () => 100, () => -1, () => 100.0001, () => 0.5, () => 1e300, () => -0.0,
        () => JsonNode.Parse("1e400"), () => JsonNode.Parse("1e-400"), () => JsonNode.Parse("100.0000000000000000000000000001"),
        () => JsonNode.Parse("99.99999999999999999999999999999999"), () => JsonNode.Parse("1E2"), () => "50",
    ];

    /// <summary>Random bytes, random JSON values, or an object of random members.</summary>
    public static byte[] Random(Random r)
    {
        switch (r.Next(4))
        {
            case 0:
                var bytes = new byte[r.Next(40)];
                r.NextBytes(bytes);
                return bytes;
            case 1:
                return Encoding.UTF8.GetBytes(AnyValue(r, 3)?.ToJsonString() ?? "null");
            default:
                var o = new JsonObject();
                foreach (var name in new[] { "id", "hostId", "occurredAt", "platform", "kind", "service", "status", "observedAt", "type", "updateId", "vendor", "product", "version", "releasedAt", "recalledAt", "installedAt" })
                    if (r.Next(3) > 0) o[name] = r.Next(2) == 0 ? AnyValue(r, 1) : Pick(r, EdgeStrings.Concat(EdgeTimestamps).Concat(Platforms).Concat(Statuses).ToArray());
                return Encoding.UTF8.GetBytes(o.ToJsonString());
        }
    }

    private static JsonNode? AnyValue(Random r, int depth) => r.Next(depth > 0 ? 8 : 5) switch
    {
        0 => null,
        1 => r.Next(2) == 0,
        2 => r.Next(-5, 200),
        3 => r.NextDouble() * 1000,
        4 => Pick(r, EdgeStrings),
        5 => new JsonArray(Enumerable.Range(0, r.Next(4)).Select(_ => AnyValue(r, depth - 1)).ToArray()),
        _ => new JsonObject(Enumerable.Range(0, r.Next(4)).Select(i => KeyValuePair.Create(Pick(r, ["name", "module", "a", "b", "startsAt", "percent"]) + (i > 0 ? i.ToString() : ""), AnyValue(r, depth - 1)))),
    };

    private static (JsonNode Parent, object Key) PickSlot(JsonObject root, Random r)
    {
        JsonNode parent = root;
        object key = root.Select(p => p.Key).ElementAt(r.Next(root.Count));
        // Walk down a level or two so nested rules are mutated too.
        for (var depth = 0; depth < 2 && r.Next(2) == 0; depth++)
        {
            var child = key is string k ? parent[k] : parent[(int)key];
            switch (child)
            {
                case JsonObject o when o.Count > 0: parent = o; key = o.Select(p => p.Key).ElementAt(r.Next(o.Count)); break;
                case JsonArray a when a.Count > 0: parent = a; key = r.Next(a.Count); break;
                default: return (parent, key);
            }
        }
        return (parent, key);
    }

    private static void Remove(JsonNode parent, object key)
    {
        if (parent is JsonObject o) o.Remove((string)key);
        else ((JsonArray)parent).RemoveAt((int)key);
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o) o[(string)key] = value;
        else ((JsonArray)parent)[(int)key] = value;
    }

    /// <summary>Repeats a property name at the top level or inside a nested object, as text (a JsonObject cannot hold it).</summary>
    private static string DuplicateKey(string text, Random r)
    {
        var braces = Enumerable.Range(0, text.Length).Where(i => text[i] == '{').ToList();
        var at = braces[r.Next(braces.Count)];
        var name = Pick(r, ["id", "name", "type", "extra", "module"]);
        return text[..(at + 1)] + $"\"{name}\":\"d\",\"{name}\":\"d\"," + text[(at + 1)..];
    }

    private static void Unknown(Random r, JsonObject o)
    {
        if (r.Next(4) == 0) o["x-" + r.Next(5)] = AnyValue(r, 2);
    }

    private static void Maybe(Random r, JsonObject o, string name, Func<JsonNode?> value)
    {
        if (r.Next(2) == 0) o[name] = value();
    }

    private static JsonObject Obj(params (string Name, JsonNode? Value)[] members)
    {
        var o = new JsonObject();
        foreach (var (name, value) in members) if (value is not null) o[name] = value;
        return o;
    }

    private static JsonArray Array(Random r, int max, Func<JsonNode?> item) => new(Enumerable.Range(0, r.Next(max + 1)).Select(_ => item()).ToArray());

    private static JsonArray Strings(Random r) => Array(r, 3, () => Word(r));

    private static string Id(Random r) => r.Next(20) == 0 ? new string('i', 1 + r.Next(128)) : $"m-{r.Next():x}";

    private static string Word(Random r) => r.Next(30) == 0 ? Pick(r, EdgeStrings) : $"w{r.Next(1000)}.{Pick(r, ["sys", "dll", "exe", "x"])}";

    private static string Hex(Random r) => $"0x{r.Next():X}";

    private static JsonNode Percent(Random r) => r.Next(5) == 0 ? 100 : Math.Round(r.NextDouble() * 100, 2);

    private static string Timestamp(Random r) =>
        new DateTimeOffset(2024, 7, 19, 0, 0, 0, TimeSpan.Zero).AddSeconds(r.Next(86_400 * 3)).ToString(r.Next(4) == 0 ? "yyyy-MM-ddTHH:mm:ss.fffzzz" : "yyyy-MM-ddTHH:mm:ssZ");

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];
}
