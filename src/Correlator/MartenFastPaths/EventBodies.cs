using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Correlator.Ingestion.Events;

namespace Correlator.Hosting;

/// <summary>
/// How the input events (crashes, installations, status, manifests: all but a few percent of the store) keep their
/// body: UTF-8 JSON in <c>mt_events.bdata</c> (bytea) instead of <c>mt_events.data</c> (jsonb), through Marten's
/// per-type binary serializer. Same JSON, same field names as Marten's own serializer writes (a test compares them).
/// <para>
/// Why: jsonb is parsed into PostgreSQL's binary form on every insert and rendered back to text on every read, and
/// nothing here queries inside these bodies except the export's sort. For a 1.6 KB crash report that rendering was
/// 17 of the 27 µs a rebuild spent reading it. SQL can still see a body as
/// <c>convert_from(bdata, 'UTF8')::jsonb</c> (<see cref="BodySql"/>). Findings, feedback and rejections stay jsonb.
/// </para>
/// <para>
/// Caveat (Marten 9.59): <c>QueryRawEventDataOnly&lt;T&gt;</c> and LINQ over <c>T</c>'s fields read the jsonb column, so
/// for these types they see the empty placeholder. Read them through <c>QueryAllRawEvents</c>, streams or projections.
/// </para>
/// </summary>
public sealed class EventBodies : JasperFx.Events.IEventBinarySerializer
{
    /// <summary>SQL for an event row's JSON body whichever column holds it.</summary>
    public const string BodySql = "coalesce(convert_from(bdata, 'UTF8')::jsonb, data)";

    public byte[] Serialize(Type type, object data) => JsonSerializer.SerializeToUtf8Bytes(data, Info(type));

    // Crash reports, the bodies a rebuild spends most on, skip the generated contract's constructor machinery.
    public object Deserialize(Type type, byte[] data) =>
        (type == typeof(CrashReported) ? CrashReportReader.TryRead(data) : null)
        ?? JsonSerializer.Deserialize(data, Info(type)) ?? throw new JsonException($"an empty {type.Name} body");

    // Generated metadata, not reflection: a rebuild reads every installation through here, and the generated contract
    // deserialized a crash report ~30 % faster warm than reflection and needs no emitted accessors (less JIT at the start).
    private static JsonTypeInfo Info(Type type) =>
        EventBodyJson.Default.GetTypeInfo(type) ?? throw new NotSupportedException($"{type.Name} is not an input event with a byte body");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CrashReported))]
[JsonSerializable(typeof(UpdateInstalled))]
[JsonSerializable(typeof(ServiceStatusObserved))]
[JsonSerializable(typeof(UpdateReleased))]
[JsonSerializable(typeof(UpdateRecalled))]
internal sealed partial class EventBodyJson : JsonSerializerContext;
