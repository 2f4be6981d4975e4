using System.Text;
using System.Text.Json.Nodes;

namespace Correlator.Tests.Schemas;

/// <summary>Minimal valid messages per contract type, and a way to break them one change at a time.</summary>
internal static class Messages
{
    public const string Crash = """
        { "id": "c-1", "hostId": "WIN-00042", "occurredAt": "2024-07-19T04:11:23Z", "platform": "windows", "kind": "kernel",
          "bugcheckCode": "0x50", "faultingModule": { "name": "csagent.sys", "offset": "0xe35a1" },
          "stack": [ { "module": "csagent.sys", "offset": "0xe35a1" } ], "modules": [ { "name": "csagent.sys" } ] }
        """;

    public const string Status = """
        { "id": "s-1", "service": "Azure Virtual Machines", "status": "major_outage", "observedAt": "2024-07-19T04:56:00Z", "region": "centralus" }
        """;

    public const string Release = """
        { "id": "r-1", "type": "release", "updateId": "crowdstrike/falcon-content/C-00000291-00000000-00000032",
          "vendor": "CrowdStrike", "product": "Falcon Sensor content", "version": "C-00000291-00000000-00000032",
          "releasedAt": "2024-07-19T04:09:00Z", "kind": "content", "platforms": ["windows"],
          "targets": { "regions": ["centralus"] }, "artifacts": [ { "name": "C-00000291-00000000-00000032.sys" } ],
          "affects": ["csagent.sys"], "rollout": [ { "startsAt": "2024-07-19T04:09:00Z", "percent": 100 } ] }
        """;

    public const string Recall = """
        { "id": "rc-1", "type": "recall", "updateId": "crowdstrike/falcon-content/C-00000291-00000000-00000032", "recalledAt": "2024-07-19T05:27:00Z" }
        """;

    public const string Installation = """
        { "id": "i-1", "type": "installation", "updateId": "crowdstrike/falcon-content/C-00000291-00000000-00000032",
          "hostId": "WIN-00042", "installedAt": "2024-07-19T04:10:57Z" }
        """;

    public static ReadOnlyMemory<byte> Bytes(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary><paramref name="json"/> with the value at a JSON Pointer replaced (or removed when <paramref name="value"/> is <see cref="Remove"/>).</summary>
    public static string With(string json, string pointer, JsonNode? value)
    {
        var root = JsonNode.Parse(json)!;
        var segments = pointer.TrimStart('/').Split('/');
        var parent = root;
        foreach (var segment in segments[..^1])
            parent = parent is JsonArray a ? a[int.Parse(segment)]! : parent[segment]!;
        var last = segments[^1];
        if (ReferenceEquals(value, Remove))
        {
            if (parent is JsonArray array) array.RemoveAt(int.Parse(last));
            else parent.AsObject().Remove(last);
        }
        else if (parent is JsonArray array) array[int.Parse(last)] = value;
        else parent[last] = value;
        return root.ToJsonString();
    }

    /// <summary>Marker for <see cref="With"/>: take the property out.</summary>
    public static readonly JsonNode Remove = JsonValue.Create("<remove>")!;
}
