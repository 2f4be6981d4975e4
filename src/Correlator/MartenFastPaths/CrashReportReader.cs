using System.Text.Json;
using Correlator.Ingestion.Events;

namespace Correlator.Hosting;

/// <summary>
/// Reads a stored crash report body straight off the UTF-8 JSON, for the one event a rebuild reads most of: a third
/// of <c>SignatureDay</c>'s rebuild CPU was System.Text.Json building crash reports. The generated contract goes
/// through its constructor-argument machinery for every object with a constructor (an argument state, boxing of
/// 18 arguments into an array, a frame stack) before calling the constructor; this calls it directly.
/// <para>
/// It reads exactly the shape <see cref="EventBodies"/> writes (the generated contract's camelCase names, properties
/// in any order, unknown ones skipped, nulls). Anything else — a number where a string belongs, trailing content,
/// malformed JSON — returns null, and the caller falls back to the generated contract, which then gives its own
/// answer or error. A test holds the two readers equal.
/// </para>
/// </summary>
internal static class CrashReportReader
{
    public static CrashReported? TryRead(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            var report = Report(ref reader);
            return reader.Read() ? null : report;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or Unsupported)
        {
            return null;
        }
    }

    private sealed class Unsupported : Exception;

    private static CrashReported Report(ref Utf8JsonReader r)
    {
        string? id = null, hostId = null, platform = null, kind = null, osVersion = null, region = null, fleet = null, bugcheckCode = null,
            exceptionCode = null, signal = null, process = null, panicMessage = null, dumpUri = null, dumpSha256 = null;
        DateTimeOffset occurredAt = default, observedAt = default;
        ModuleRef? faultingModule = null;
        List<StackFrame>? stack = null;
        List<ModuleRef>? modules = null;

        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("id"u8)) id = String(ref r);
            else if (r.ValueTextEquals("hostId"u8)) hostId = String(ref r);
            else if (r.ValueTextEquals("occurredAt"u8)) occurredAt = Time(ref r);
            else if (r.ValueTextEquals("platform"u8)) platform = String(ref r);
            else if (r.ValueTextEquals("kind"u8)) kind = String(ref r);
            else if (r.ValueTextEquals("osVersion"u8)) osVersion = String(ref r);
            else if (r.ValueTextEquals("region"u8)) region = String(ref r);
            else if (r.ValueTextEquals("fleet"u8)) fleet = String(ref r);
            else if (r.ValueTextEquals("bugcheckCode"u8)) bugcheckCode = String(ref r);
            else if (r.ValueTextEquals("exceptionCode"u8)) exceptionCode = String(ref r);
            else if (r.ValueTextEquals("signal"u8)) signal = String(ref r);
            else if (r.ValueTextEquals("process"u8)) process = String(ref r);
            else if (r.ValueTextEquals("panicMessage"u8)) panicMessage = String(ref r);
            else if (r.ValueTextEquals("faultingModule"u8)) faultingModule = Next(ref r) == JsonTokenType.Null ? null : Module(ref r);
            else if (r.ValueTextEquals("stack"u8)) stack = List(ref r, Frame);
            else if (r.ValueTextEquals("modules"u8)) modules = List(ref r, Module);
            else if (r.ValueTextEquals("dumpUri"u8)) dumpUri = String(ref r);
            else if (r.ValueTextEquals("dumpSha256"u8)) dumpSha256 = String(ref r);
            else if (r.ValueTextEquals("observedAt"u8)) observedAt = Time(ref r);
            else Skip(ref r);
        }
        return new CrashReported(id!, hostId!, occurredAt, platform!, kind!, osVersion, region, fleet, bugcheckCode, exceptionCode, signal, process,
            panicMessage, faultingModule, stack, modules, dumpUri, dumpSha256) { ObservedAt = observedAt };
    }

    // ModuleRef and StackFrame, whose start-object token is current: three strings each.
    private static ModuleRef Module(ref Utf8JsonReader r)
    {
        var (name, version, offset) = Strings(ref r, "name"u8, "version"u8, "offset"u8);
        return new ModuleRef(name!, version, offset);
    }

    private static StackFrame Frame(ref Utf8JsonReader r)
    {
        var (module, function, offset) = Strings(ref r, "module"u8, "function"u8, "offset"u8);
        return new StackFrame(module!, function, offset);
    }

    private static (string?, string?, string?) Strings(ref Utf8JsonReader r, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third)
    {
        if (r.TokenType != JsonTokenType.StartObject) throw new Unsupported();
        string? a = null, b = null, c = null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals(first)) a = String(ref r);
            else if (r.ValueTextEquals(second)) b = String(ref r);
            else if (r.ValueTextEquals(third)) c = String(ref r);
            else Skip(ref r);
        }
        return (a, b, c);
    }

    private delegate T ItemReader<out T>(ref Utf8JsonReader r);

    // As the generated contract reads an IReadOnlyList<T>: a List<T>, or null for a JSON null.
    private static List<T>? List<T>(ref Utf8JsonReader r, ItemReader<T> item)
    {
        var token = Next(ref r);
        if (token == JsonTokenType.Null) return null;
        if (token != JsonTokenType.StartArray) throw new Unsupported();
        var list = new List<T>();
        while (Next(ref r) != JsonTokenType.EndArray) list.Add(item(ref r));
        return list;
    }

    private static string? String(ref Utf8JsonReader r)
    {
        Next(ref r);
        // GetString throws InvalidOperationException for anything but a string or null: the caller falls back.
        return r.GetString();
    }

    private static DateTimeOffset Time(ref Utf8JsonReader r)
    {
        if (Next(ref r) != JsonTokenType.String) throw new Unsupported();
        return r.GetDateTimeOffset();
    }

    private static void Skip(ref Utf8JsonReader r)
    {
        Next(ref r);
        r.Skip();
    }

    private static JsonTokenType Next(ref Utf8JsonReader r) => r.Read() ? r.TokenType : throw new Unsupported();
}
