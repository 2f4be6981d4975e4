using System.Globalization;

namespace Correlator.Scenarios;

/// <summary>
/// Messages every consumer must reject (to the DLQ) without stopping: not JSON, a JSON array, a missing required field,
/// a timestamp without offset, an unknown manifest type, an out-of-enum value. Sent as <c>rawValue</c>, byte for byte.
/// </summary>
public static class MalformedMessages
{
    public static void Add(ScenarioBuilder b)
    {
        var host = b.Fleet.Hosts.Count > 0 ? b.Pick(b.Fleet.Hosts).Id : "WIN-00001";
        string Ts(DateTimeOffset t) => Wire.Timestamp(t);
        DateTimeOffset At() => b.Between(b.Start, b.End);

        var t1 = At();
        var truncated = Wire.Text(w =>
        {
            w.WriteString("id", b.NewId("wer"));
            w.WriteString("hostId", host);
            w.WriteString("occurredAt", Ts(t1));
            w.WriteString("platform", "windows");
        });
        b.Raw(t1, Wire.CrashDumps, host, truncated[..^12]);

        var t2 = At();
        var inner = Wire.Text(w =>
        {
            w.WriteString("id", b.NewId("wer"));
            w.WriteString("hostId", host);
            w.WriteString("occurredAt", Ts(t2));
            w.WriteString("platform", "windows");
            w.WriteString("kind", "user");
        });
        b.Raw(t2, Wire.CrashDumps, host, $"[{inner}]");

        var t3 = At();
        b.Raw(t3, Wire.CrashDumps, host, Wire.Text(w =>
        {
            w.WriteString("id", b.NewId("kdump"));
            w.WriteString("occurredAt", Ts(t3));
            w.WriteString("platform", "linux");
            w.WriteString("kind", "kernel");
            w.WriteString("panicMessage", "Kernel panic - not syncing: Fatal exception");
        }));

        var t4 = At();
        b.Raw(t4, Wire.ServiceStatus, "checkout-api|eastus", Wire.Text(w =>
        {
            w.WriteString("id", b.NewId("st"));
            w.WriteString("service", "checkout-api");
            w.WriteString("status", "operational");
            w.WriteString("observedAt", t4.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            w.WriteString("region", "eastus");
        }));

        var t5 = At();
        b.Raw(t5, Wire.UpdateManifests, "internal/checkout-api/rollback", Wire.Text(w =>
        {
            w.WriteString("id", b.NewId("rel"));
            w.WriteString("type", "rollback");
            w.WriteString("updateId", "internal/checkout-api/rollback");
            w.WriteString("rolledBackAt", Ts(t5));
        }));

        var t6 = At();
        b.Raw(t6, Wire.ServiceStatus, "store-sync|westeurope", "upstream connect error or disconnect/reset before headers. reset reason: overflow");

        var t7 = At();
        b.Raw(t7, Wire.ServiceStatus, "payments-api|westeurope", Wire.Text(w =>
        {
            w.WriteString("id", b.NewId("st"));
            w.WriteString("service", "payments-api");
            w.WriteString("status", "down");
            w.WriteString("observedAt", Ts(t7));
            w.WriteString("region", "westeurope");
        }));

        var t8 = At();
        b.Raw(t8, Wire.UpdateManifests, host, Wire.Text(w =>
        {
            w.WriteString("id", b.NewId("ins"));
            w.WriteString("type", "installation");
            w.WriteString("hostId", host);
            w.WriteString("installedAt", Ts(t8));
        }));
    }
}
