using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>Writes events as the contract's wire JSON (field names and shapes of the input topics).</summary>
public static class Wire
{
    public const string CrashDumps = "crash-dumps";
    public const string ServiceStatus = "service-status";
    public const string UpdateManifests = "update-manifests";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>RFC 3339: <c>2024-07-19T04:09:00Z</c>, or with the given offset, milliseconds when present.</summary>
    public static string Timestamp(DateTimeOffset t, TimeSpan? offset = null)
    {
        var local = t.ToOffset(offset ?? TimeSpan.Zero);
        var format = local.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm:ss.fff";
        var text = local.ToString(format, CultureInfo.InvariantCulture);
        return local.Offset == TimeSpan.Zero ? text + "Z" : text + local.ToString("zzz", CultureInfo.InvariantCulture);
    }

    public static JsonElement Crash(CrashReported c, TimeSpan? offset) => Build(w =>
    {
        w.WriteString("id", c.Id);
        w.WriteString("hostId", c.HostId);
        w.WriteString("occurredAt", Timestamp(c.OccurredAt, offset));
        w.WriteString("platform", c.Platform);
        w.WriteString("kind", c.Kind);
        Opt(w, "osVersion", c.OsVersion);
        Opt(w, "region", c.Region);
        Opt(w, "fleet", c.Fleet);
        Opt(w, "bugcheckCode", c.BugcheckCode);
        Opt(w, "exceptionCode", c.ExceptionCode);
        Opt(w, "signal", c.Signal);
        Opt(w, "process", c.Process);
        Opt(w, "panicMessage", c.PanicMessage);
        if (c.FaultingModule is { } fm)
        {
            w.WriteStartObject("faultingModule");
            Module(w, fm);
            w.WriteEndObject();
        }
        if (c.Stack is { Count: > 0 } stack)
        {
            w.WriteStartArray("stack");
            foreach (var f in stack)
            {
                w.WriteStartObject();
                w.WriteString("module", f.Module);
                Opt(w, "function", f.Function);
                Opt(w, "offset", f.Offset);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (c.Modules is { Count: > 0 } modules)
        {
            w.WriteStartArray("modules");
            foreach (var m in modules)
            {
                w.WriteStartObject();
                Module(w, m);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        Opt(w, "dumpUri", c.DumpUri);
        Opt(w, "dumpSha256", c.DumpSha256);
    });

    public static JsonElement Status(ServiceStatusObserved s) => Build(w =>
    {
        w.WriteString("id", s.Id);
        w.WriteString("service", s.Service);
        w.WriteString("status", s.Status);
        w.WriteString("observedAt", Timestamp(s.ObservedAt));
        Opt(w, "region", s.Region);
        Opt(w, "component", s.Component);
        Opt(w, "source", s.Source);
        Opt(w, "message", s.Message);
    });

    public static JsonElement Release(UpdateReleased r) => Build(w =>
    {
        w.WriteString("id", r.Id);
        w.WriteString("type", "release");
        w.WriteString("updateId", r.UpdateId);
        w.WriteString("vendor", r.Vendor);
        w.WriteString("product", r.Product);
        w.WriteString("version", r.Version);
        w.WriteString("releasedAt", Timestamp(r.ReleasedAt));
        Opt(w, "kind", r.Kind);
        Strings(w, "platforms", r.Platforms);
        if (r.Targets is { } t)
        {
            w.WriteStartObject("targets");
            Strings(w, "regions", t.Regions);
            Strings(w, "services", t.Services);
            Strings(w, "fleets", t.Fleets);
            Strings(w, "osVersions", t.OsVersions);
            w.WriteEndObject();
        }
        if (r.Artifacts is { Count: > 0 } artifacts)
        {
            w.WriteStartArray("artifacts");
            foreach (var a in artifacts)
            {
                w.WriteStartObject();
                w.WriteString("name", a.Name);
                Opt(w, "version", a.Version);
                Opt(w, "sha256", a.Sha256);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        Strings(w, "affects", r.Affects);
        if (r.Rollout is { Count: > 0 } rollout)
        {
            w.WriteStartArray("rollout");
            foreach (var wave in rollout)
            {
                w.WriteStartObject();
                w.WriteString("startsAt", Timestamp(wave.StartsAt));
                w.WriteNumber("percent", wave.Percent);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        Opt(w, "supersedes", r.Supersedes);
    });

    public static JsonElement Recall(UpdateRecalled r) => Build(w =>
    {
        w.WriteString("id", r.Id);
        w.WriteString("type", "recall");
        w.WriteString("updateId", r.UpdateId);
        w.WriteString("recalledAt", Timestamp(r.RecalledAt));
        Opt(w, "reason", r.Reason);
    });

    public static JsonElement Installation(UpdateInstalled i) => Build(w =>
    {
        w.WriteString("id", i.Id);
        w.WriteString("type", "installation");
        w.WriteString("updateId", i.UpdateId);
        w.WriteString("hostId", i.HostId);
        w.WriteString("installedAt", Timestamp(i.InstalledAt));
    });

    /// <summary>Compact JSON text of an object written by <paramref name="body"/> (for malformed raw values).</summary>
    public static string Text(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonElement Build(Action<Utf8JsonWriter> body)
    {
        using var doc = JsonDocument.Parse(Text(body));
        return doc.RootElement.Clone();
    }

    private static void Module(Utf8JsonWriter w, ModuleRef m)
    {
        w.WriteString("name", m.Name);
        Opt(w, "version", m.Version);
        Opt(w, "offset", m.Offset);
    }

    private static void Opt(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
    {
        if (values is null) return;
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
