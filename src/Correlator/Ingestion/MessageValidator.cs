using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Text.Json.Nodes;
using Correlator.Ingestion.Events;
using Json.Schema;

namespace Correlator.Ingestion;

/// <summary>
/// Checks one Kafka message value against its topic's contract schema (<c>schemas/*.schema.json</c>, embedded) and maps
/// a conforming one onto its event record. Rejections carry a machine code (<see cref="RejectionCodes"/>) and a reason
/// naming the JSON location. All field rules live in the schemas; this class only adds what a schema cannot say
/// (size limit, parseable JSON, a timestamp that is a real instant). The accept/reject decision comes from the schemas
/// compiled at build time (<c>CompiledSchemas</c>, src/Correlator.SchemaGenerator); JsonSchema.Net, the reference,
/// runs only on a refusal, to word the reason. Thread-safe; build one and reuse it.
/// </summary>
public sealed class MessageValidator
{
    public const int DefaultMaxBytes = 1024 * 1024;

    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        // Two values for one name would let the schema check one and the mapping take the other.
        AllowDuplicateProperties = false,
        MaxDepth = 64,
    };

    public MessageValidator(int maxBytes = DefaultMaxBytes, IngestTopics? topics = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        MaxBytes = maxBytes;
        Topics = topics ?? IngestTopics.Default;
        _ = Evaluators.Current; // load the embedded schemas now: a broken build fails at startup, not on the first message
    }

    public int MaxBytes { get; }

    public IngestTopics Topics { get; }

    /// <summary>Validates a message value read from <paramref name="topic"/>.</summary>
    public ValidationResult Validate(string topic, ReadOnlyMemory<byte> value) =>
        Topics.KindOf(topic) is { } kind
            ? Validate(kind, topic, value.Span)
            : new ValidationResult.Rejected(topic, null, RejectionCodes.UnknownTopic,
                $"{topic}: not an input topic (expected {Topics.Crash}, {Topics.Status} or {Topics.Manifest})");

    /// <summary>Validates a message value of a known kind (e.g. a scenario line), named by its configured topic.</summary>
    public ValidationResult Validate(MessageKind kind, ReadOnlyMemory<byte> value) => Validate(kind, Topics.NameOf(kind), value.Span);

    private ValidationResult Validate(MessageKind kind, string topic, ReadOnlySpan<byte> value, bool compiled = true)
    {
        if (value.Length > MaxBytes)
            return Reject(topic, null, RejectionCodes.TooLarge, $"{topic}: the value is {value.Length} bytes, more than the {MaxBytes}-byte limit");

        // The reader checks structure, not the bytes inside strings; check the encoding up front (vectorised, cheap).
        if (!Utf8.IsValid(value))
            return Reject(topic, null, RejectionCodes.NotJson, $"{topic}: the value is not valid UTF-8");

        if (UnpairedSurrogate(topic, value) is { } unpaired) return unpaired;

        // The common case, a conforming message: the compiled schema decides in one pass over the bytes, then the
        // record is read from them. JsonSchema.Net (the reference) runs only on a refusal, to word the reason.
        return compiled && Conforms(kind, value) == true
            ? MapConforming(kind, topic, value, kind == MessageKind.Manifest ? TopLevelString(value, "type"u8) : null, id: null)
            : ValidateWithReference(kind, topic, value);
    }

    /// <summary>The compiled schema's decision (Correlator.SchemaGenerator, from schemas/ at build time); null when it leaves it to the reference.</summary>
    internal static bool? Conforms(MessageKind kind, ReadOnlySpan<byte> value) => kind switch
    {
        MessageKind.Crash => CompiledSchemas.CrashDumps(value),
        MessageKind.Status => CompiledSchemas.ServiceStatus(value),
        _ => CompiledSchemas.UpdateManifests(value),
    };

    /// <summary>JsonSchema.Net's decision on the same bytes, parsed as the reference path parses them (for the differential test).</summary>
    internal static bool ConformsByReference(MessageKind kind, ReadOnlySpan<byte> value)
    {
        if (!Utf8.IsValid(value)) return false;
        try
        {
            if (JsonNode.Parse(value, NodeOptions, DocumentOptions) is not JsonObject message) return false;
            var schemas = Evaluators.Current.For(kind);
            return schemas.Fast.Evaluate(message, schemas.FastOptions).IsValid;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or InvalidOperationException) { return false; }
    }

    /// <summary>What <see cref="Validate(MessageKind, ReadOnlyMemory{byte})"/> gave before the compiled schemas: the reference for tests.</summary>
    internal ValidationResult ValidateByReference(MessageKind kind, ReadOnlyMemory<byte> value) =>
        Validate(kind, Topics.NameOf(kind), value.Span, compiled: false);

    /// <summary>The reference path: parse into a DOM, evaluate with JsonSchema.Net, explain a failure.</summary>
    private ValidationResult ValidateWithReference(MessageKind kind, string topic, ReadOnlySpan<byte> value)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(value, NodeOptions, DocumentOptions);
        }
        catch (JsonException ex)
        {
            var what = value.IsEmpty ? "the value is empty" : $"the value is not valid UTF-8 JSON: {ex.Message}";
            return Reject(topic, null, RejectionCodes.NotJson, $"{topic}: {what}");
        }

        if (node is not JsonObject message)
            return Reject(topic, null, RejectionCodes.NotObject, $"{topic}: the value is {Describe(node)}, not a JSON object");

        var id = message.TryGetPropertyValue("id", out var idNode) && idNode is JsonValue idValue
                 && idValue.GetValueKind() == JsonValueKind.String ? idValue.GetValue<string>() : null;

        var schemas = Evaluators.Current.For(kind);
        try
        {
            if (!schemas.Fast.Evaluate(message, schemas.FastOptions).IsValid)
            {
                var (code, reason) = SchemaErrors.Describe(topic, SchemaDocuments.For(kind), message,
                    schemas.Detailed.Evaluate(message, schemas.DetailedOptions));
                return Reject(topic, id, code, reason);
            }
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            // JsonSchema.Net checks numbers as decimal: 1e400 or 1e-400 cannot be compared with a bound.
            return Reject(topic, id, RejectionCodes.Schema, $"{topic}: {SchemaErrors.UncheckableNumber(message)}");
        }

        return MapConforming(kind, topic, value, kind == MessageKind.Manifest ? message["type"]!.GetValue<string>() : null, id);
    }

    /// <summary>A message the schema accepted, as its record; or refused for what a schema cannot say. <paramref name="id"/>: read again when null.</summary>
    private static ValidationResult MapConforming(MessageKind kind, string topic, ReadOnlySpan<byte> value, string? manifestType, string? id)
    {
        try
        {
            return Storable(topic, Map(kind, topic, value, manifestType), value);
        }
        catch (Rfc3339.BadTimestampException ex)
        {
            return Reject(topic, id ?? TopLevelString(value, "id"u8), RejectionCodes.BadTimestamp, $"{topic}: {SchemaErrors.Pointer(ex.Path)}: {ex.Message}");
        }
        catch (JsonException ex)
        {
            // The schema passed but the record cannot hold a value (a number beyond double, say).
            return Reject(topic, id ?? TopLevelString(value, "id"u8), RejectionCodes.Schema, $"{topic}: {SchemaErrors.Pointer(ex.Path)}: {ex.Message}");
        }
    }

    /// <summary>JSON lets a string escape half a surrogate pair; no Unicode text holds one, and the store would refuse it.</summary>
    private static ValidationResult.Rejected? UnpairedSurrogate(string topic, ReadOnlySpan<byte> value) =>
        value.IndexOf("\\u"u8) >= 0 && SurrogateEscapes.FindUnpaired(value) is var at and >= 0
            ? Reject(topic, null, RejectionCodes.NotJson,
                $"{topic}: the value is not Unicode text: an unpaired surrogate escape ({Encoding.UTF8.GetString(value.Slice(at, 6))}) at byte {at}")
            : null;

    /// <summary>The accepted record, or a refusal when a string in it holds U+0000, which jsonb cannot store.</summary>
    private static ValidationResult Storable(string topic, ValidationResult.Accepted accepted, ReadOnlySpan<byte> value) =>
        value.IndexOf("\\u0000"u8) >= 0 && UnstorableText.Find(accepted.Event) is { } location
            ? Reject(topic, JsonbText.Storable(accepted.Id), RejectionCodes.Unstorable,
                $"{topic}: {(location.Length == 0 ? "/" : location)}: contains U+0000, which the event store cannot hold")
            : accepted;

    /// <summary>A top-level string property of a message the compiled schema accepted (so: one object, no repeats).</summary>
    private static string? TopLevelString(ReadOnlySpan<byte> value, ReadOnlySpan<byte> name)
    {
        var r = new Utf8JsonReader(value, new JsonReaderOptions { MaxDepth = 64 });
        r.Read();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var match = r.ValueTextEquals(name);
            r.Read();
            if (match) return r.TokenType == JsonTokenType.String ? r.GetString() : null;
            r.Skip();
        }
        return null;
    }

    private static ValidationResult.Accepted Map(MessageKind kind, string topic, ReadOnlySpan<byte> value, string? manifestType)
    {
        switch (kind)
        {
            case MessageKind.Crash:
                var crash = JsonSerializer.Deserialize(value, IngestJson.Info<CrashReported>())!;
                return new(topic, kind, crash.Id, crash, crash.OccurredAt);
            case MessageKind.Status:
                var status = JsonSerializer.Deserialize(value, IngestJson.Info<ServiceStatusObserved>())!;
                return new(topic, kind, status.Id, status, status.ObservedAt);
            case MessageKind.Manifest:
                // The schema has checked that type is one of these three.
                switch (manifestType)
                {
                    case "release":
                        var released = JsonSerializer.Deserialize(value, IngestJson.Info<UpdateReleased>())!;
                        return new(topic, kind, released.Id, released, released.ReleasedAt);
                    case "recall":
                        var recalled = JsonSerializer.Deserialize(value, IngestJson.Info<UpdateRecalled>())!;
                        return new(topic, kind, recalled.Id, recalled, recalled.RecalledAt);
                    case "installation":
                        var installed = JsonSerializer.Deserialize(value, IngestJson.Info<UpdateInstalled>())!;
                        return new(topic, kind, installed.Id, installed, installed.InstalledAt);
                }
                break;
        }
        throw new InvalidOperationException($"{topic}: no mapping for a {kind} message; the schema and the validator disagree");
    }

    private static ValidationResult.Rejected Reject(string topic, string? id, string code, string reason) => new(topic, id, code, reason);

    private static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            _ => node.ToJsonString(),
        },
    };

    /// <summary>
    /// Format assertion is off: the input schemas' only format is <c>date-time</c>, always beside an RFC 3339
    /// <c>pattern</c> (<c>$defs/timestamp</c>), and every timestamp is parsed again into the record, which refuses
    /// dates that do not exist; JsonSchema.Net's own date-time check adds nothing to that (it takes <c>2024-13-40</c>)
    /// and doubled the cost of evaluating a crash report. <c>SchemaFileTests</c> keeps the schemas to that rule.
    /// <para>
    /// JsonSchema.Net keeps per-options state inside each <see cref="JsonSchema"/> and is not reliably safe when one
    /// schema is evaluated from several threads (json-everything issues #693, #929). Each thread gets its own schemas
    /// and options: one pair with flag output for the fast path, one with list output to explain a failure.
    /// </para>
    /// </summary>
    private sealed class Evaluators
    {
        [ThreadStatic] private static Evaluators? _current;

        private readonly Pair _crash = new(ContractSchemas.CrashDumps);
        private readonly Pair _status = new(ContractSchemas.ServiceStatus);
        private readonly Pair _manifest = new(ContractSchemas.UpdateManifests);

        public static Evaluators Current => _current ??= new Evaluators();

        public Pair For(MessageKind kind) => kind switch
        {
            MessageKind.Crash => _crash,
            MessageKind.Status => _status,
            _ => _manifest,
        };

        public sealed class Pair(string file)
        {
            public JsonSchema Fast { get; } = ContractSchemas.Build(file);
            public JsonSchema Detailed { get; } = ContractSchemas.Build(file);
            public EvaluationOptions FastOptions { get; } = new() { OutputFormat = OutputFormat.Flag, RequireFormatValidation = false };
            public EvaluationOptions DetailedOptions { get; } = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = false };
        }
    }

    /// <summary>The schema texts as read-only documents, shared by all threads, to word rejection reasons.</summary>
    private static class SchemaDocuments
    {
        private static readonly JsonElement Crash = Load(ContractSchemas.CrashDumps);
        private static readonly JsonElement Status = Load(ContractSchemas.ServiceStatus);
        private static readonly JsonElement Manifest = Load(ContractSchemas.UpdateManifests);

        public static JsonElement For(MessageKind kind) => kind switch
        {
            MessageKind.Crash => Crash,
            MessageKind.Status => Status,
            _ => Manifest,
        };

        private static JsonElement Load(string file) => JsonDocument.Parse(ContractSchemas.Text(file)).RootElement;
    }
}
