using System.Text.Json.Nodes;
using Correlator.Ingestion;
using static Correlator.Tests.Schemas.Messages;

namespace Correlator.Tests.Schemas;

/// <summary>Every constraint of the contract, broken once, with the code and the reason it must give.</summary>
public class RejectionTests
{
    private static readonly MessageValidator Validator = new();

    private const string CrashTopic = "crash-dumps";
    private const string StatusTopic = "service-status";
    private const string ManifestTopic = "update-manifests";

    public static TheoryData<string, string, string, string> Broken()
    {
        var rows = new TheoryData<string, string, string, string>();
        void Row(string topic, string json, string code, string reason) => rows.Add(topic, json, code, reason);
        void Crash(string pointer, JsonNode? value, string code, string reason) => Row(CrashTopic, With(Messages.Crash, pointer, value), code, reason);
        void Status(string pointer, JsonNode? value, string code, string reason) => Row(StatusTopic, With(Messages.Status, pointer, value), code, reason);
        void Release(string pointer, JsonNode? value, string code, string reason) => Row(ManifestTopic, With(Messages.Release, pointer, value), code, reason);
        void Recall(string pointer, JsonNode? value, string code, string reason) => Row(ManifestTopic, With(Messages.Recall, pointer, value), code, reason);
        void Installation(string pointer, JsonNode? value, string code, string reason) => Row(ManifestTopic, With(Messages.Installation, pointer, value), code, reason);
        const string schema = RejectionCodes.Schema, timestamp = RejectionCodes.BadTimestamp, unknownType = RejectionCodes.UnknownType;

        // id: a string of 1-128 characters, on every topic
        Crash("/id", Remove, schema, "crash-dumps: /: required property 'id' is missing");
        Crash("/id", "", schema, "crash-dumps: /id: '' is shorter than 1 character(s)");
        Crash("/id", new string('x', 129), schema, "crash-dumps: /id: 'xxx");
        Crash("/id", 42, schema, "crash-dumps: /id: 42 is not a string");
        Status("/id", "", schema, "service-status: /id: '' is shorter");
        Release("/id", new string('x', 129), schema, "update-manifests: /id: 'xxx");
        Recall("/id", Remove, schema, "update-manifests: /: required property 'id' is missing");
        Installation("/id", null, schema, "update-manifests: /id: null is not a string");

        // crash-dumps: required fields, enums, types
        foreach (var field in new[] { "hostId", "occurredAt", "platform", "kind" })
            Crash($"/{field}", Remove, schema, $"crash-dumps: /: required property '{field}' is missing");
        Crash("/hostId", 42, schema, "crash-dumps: /hostId: 42 is not a string");
        Crash("/platform", "win", schema, "crash-dumps: /platform: 'win' is not one of windows, linux, macos");
        Crash("/platform", "Windows", schema, "crash-dumps: /platform: 'Windows' is not one of");
        Crash("/kind", "panic", schema, "crash-dumps: /kind: 'panic' is not one of kernel, user");
        foreach (var field in new[] { "osVersion", "region", "fleet", "signal", "process", "panicMessage", "dumpUri", "dumpSha256" })
            Crash($"/{field}", 1, schema, $"crash-dumps: /{field}: 1 is not a string");
        Crash("/region", null, schema, "crash-dumps: /region: null is not a string");

        // crash-dumps: timestamps
        Crash("/occurredAt", "2024-07-19T04:09:00", timestamp, "crash-dumps: /occurredAt: '2024-07-19T04:09:00' is not an RFC 3339 timestamp with an offset");
        Crash("/occurredAt", "2024-07-19 04:09", timestamp, "crash-dumps: /occurredAt: '2024-07-19 04:09' is not an RFC 3339 timestamp with an offset");
        Crash("/occurredAt", "2024-13-40T04:09:00Z", timestamp, "crash-dumps: /occurredAt: '2024-13-40T04:09:00Z' is not an RFC 3339");
        Crash("/occurredAt", "2024-07-19T25:00:00Z", timestamp, "crash-dumps: /occurredAt: '2024-07-19T25:00:00Z'");
        Crash("/occurredAt", "2024-07-19T04:09:00+0200", timestamp, "crash-dumps: /occurredAt: '2024-07-19T04:09:00+0200'");
        Crash("/occurredAt", "19/07/2024 04:09", timestamp, "crash-dumps: /occurredAt:");
        Crash("/occurredAt", 1721362140, timestamp, "crash-dumps: /occurredAt: 1721362140 is not an RFC 3339");
        Crash("/occurredAt", "2024-02-30T04:09:00Z", timestamp, "crash-dumps: /occurredAt: '2024-02-30T04:09:00Z' is not a real RFC 3339 date");
        Crash("/occurredAt", "2024-07-19T23:59:60Z", timestamp, "crash-dumps: /occurredAt: '2024-07-19T23:59:60Z' is a leap second where none was inserted");
        Crash("/hostId", "WIN-\u0000-1", RejectionCodes.Unstorable, "crash-dumps: /hostId: contains U+0000");
        Crash("/id", "c-\u0000", RejectionCodes.Unstorable, "crash-dumps: /id: contains U+0000");
        Status("/message", "\u0000", RejectionCodes.Unstorable, "service-status: /message: contains U+0000");
        Row(CrashTopic, Messages.Crash.Replace("\"id\": \"", "\"id\": \"\\ud800"), RejectionCodes.NotJson, "crash-dumps: the value is not Unicode text: an unpaired surrogate escape (\\ud800) at byte");
        Row(CrashTopic, Messages.Crash.Replace("{", "{\"\\udc00x\": 1, "), RejectionCodes.NotJson, "an unpaired surrogate escape (\\udc00) at byte");
        Row(StatusTopic, Messages.Status.Replace("{", "{\"zz\": \"\\ud83d\\u0041\", "), RejectionCodes.NotJson, "an unpaired surrogate escape (\\ud83d)");

        // crash-dumps: hex codes
        Crash("/bugcheckCode", "50", schema, "crash-dumps: /bugcheckCode: '50' is not a hex number (0x followed by hex digits)");
        Crash("/bugcheckCode", "0x", schema, "crash-dumps: /bugcheckCode: '0x' is not a hex number");
        Crash("/bugcheckCode", "0xZZ", schema, "crash-dumps: /bugcheckCode: '0xZZ' is not a hex number");
        Crash("/bugcheckCode", 80, schema, "crash-dumps: /bugcheckCode: 80 is not a string");
        Crash("/exceptionCode", "C0000005", schema, "crash-dumps: /exceptionCode: 'C0000005' is not a hex number");
        Crash("/faultingModule/offset", "e35a1", schema, "crash-dumps: /faultingModule/offset: 'e35a1' is not a hex number");
        Crash("/stack/0/offset", "+0xe35a1", schema, "crash-dumps: /stack/0/offset: '+0xe35a1' is not a hex number");

        // crash-dumps: nested objects and array limits
        Crash("/faultingModule/name", Remove, schema, "crash-dumps: /faultingModule: required property 'name' is missing");
        Crash("/faultingModule", "csagent.sys", schema, "crash-dumps: /faultingModule: 'csagent.sys' is not an object");
        Crash("/faultingModule/version", 7, schema, "crash-dumps: /faultingModule/version: 7 is not a string");
        Crash("/stack", new JsonObject(), schema, "crash-dumps: /stack: an object is not an array");
        Crash("/stack/0/module", Remove, schema, "crash-dumps: /stack/0: required property 'module' is missing");
        Crash("/stack/0/function", false, schema, "crash-dumps: /stack/0/function: false is not a string");
        Crash("/stack", Frames(257), schema, "crash-dumps: /stack: 257 items, more than the 256 allowed");
        Crash("/modules/0/name", Remove, schema, "crash-dumps: /modules/0: required property 'name' is missing");
        Crash("/modules/0/version", 10, schema, "crash-dumps: /modules/0/version: 10 is not a string");
        Crash("/modules", Modules(2049), schema, "crash-dumps: /modules: 2049 items, more than the 2048 allowed");

        // service-status
        foreach (var field in new[] { "service", "status", "observedAt" })
            Status($"/{field}", Remove, schema, $"service-status: /: required property '{field}' is missing");
        Status("/status", "down", schema, "service-status: /status: 'down' is not one of operational, degraded, partial_outage, major_outage, maintenance");
        Status("/status", "partial-outage", schema, "service-status: /status: 'partial-outage' is not one of");
        Status("/observedAt", "2024-07-19T04:56:00", timestamp, "service-status: /observedAt: '2024-07-19T04:56:00' is not an RFC 3339 timestamp with an offset");
        foreach (var field in new[] { "service", "region", "component", "source", "message" })
            Status($"/{field}", 3, schema, $"service-status: /{field}: 3 is not a string");

        // update-manifests: type
        Release("/type", Remove, schema, "update-manifests: /: required property 'type' is missing");
        Release("/type", "rollback", unknownType, "update-manifests: /type: 'rollback' is not a known type (release, recall, installation)");
        Release("/type", "Release", unknownType, "update-manifests: /type: 'Release' is not a known type");
        Release("/type", 1, unknownType, "update-manifests: /type: 1 is not a known type");
        Release("/type", null, unknownType, "update-manifests: /type: null is not a known type");

        // update-manifests: release
        foreach (var field in new[] { "updateId", "vendor", "product", "version", "releasedAt" })
            Release($"/{field}", Remove, schema, $"update-manifests: /: required property '{field}' is missing");
        foreach (var field in new[] { "updateId", "vendor", "product", "version", "supersedes" })
            Release($"/{field}", 2, schema, $"update-manifests: /{field}: 2 is not a string");
        Release("/releasedAt", "2024-07-19", timestamp, "update-manifests: /releasedAt: '2024-07-19' is not an RFC 3339 timestamp with an offset");
        Release("/kind", "hotfix", schema, "update-manifests: /kind: 'hotfix' is not one of content, agent, os-patch, driver, firmware, config, application");
        Release("/platforms", "windows", schema, "update-manifests: /platforms: 'windows' is not an array");
        Release("/platforms/0", "win32", schema, "update-manifests: /platforms/0: 'win32' is not one of windows, linux, macos");
        Release("/targets", new JsonArray(), schema, "update-manifests: /targets: an array is not an object");
        foreach (var list in new[] { "regions", "services", "fleets", "osVersions" })
        {
            Release($"/targets/{list}", "x", schema, $"update-manifests: /targets/{list}: 'x' is not an array");
            Release($"/targets/{list}", new JsonArray(1), schema, $"update-manifests: /targets/{list}/0: 1 is not a string");
        }
        Release("/artifacts/0/name", Remove, schema, "update-manifests: /artifacts/0: required property 'name' is missing");
        Release("/artifacts/0/sha256", 0, schema, "update-manifests: /artifacts/0/sha256: 0 is not a string");
        Release("/affects", "csagent.sys", schema, "update-manifests: /affects: 'csagent.sys' is not an array");
        Release("/rollout/0/percent", Remove, schema, "update-manifests: /rollout/0: required property 'percent' is missing");
        Release("/rollout/0/startsAt", Remove, schema, "update-manifests: /rollout/0: required property 'startsAt' is missing");
        Release("/rollout/0/percent", 100.5, schema, "update-manifests: /rollout/0/percent: 100.5 is more than the maximum 100");
        Release("/rollout/0/percent", -1, schema, "update-manifests: /rollout/0/percent: -1 is less than the minimum 0");
        Release("/rollout/0/percent", "50", schema, "update-manifests: /rollout/0/percent: '50' is not a number");
        Release("/rollout/0/startsAt", "2024-07-19T04:09:00", timestamp, "update-manifests: /rollout/0/startsAt: '2024-07-19T04:09:00' is not an RFC 3339 timestamp with an offset");
        Row(ManifestTopic, Messages.Release.Replace("\"percent\": 100", "\"percent\": 1e400"), schema, "update-manifests: /rollout/0/percent: 1e400 is outside the range of numbers");
        Row(ManifestTopic, Messages.Release.Replace("\"percent\": 100", "\"percent\": 1e-400"), schema, "update-manifests: /rollout/0/percent: 1e-400 is too small to represent");
        Release("/product", "Falcon\u0000", RejectionCodes.Unstorable, "update-manifests: /product: contains U+0000, which the event store cannot hold");
        Release("/rollout/0/startsAt", "2024-07-19T23:59:60Z", timestamp, "update-manifests: /rollout/0/startsAt: '2024-07-19T23:59:60Z' is a leap second where none was inserted");

        // update-manifests: recall and installation
        foreach (var field in new[] { "updateId", "recalledAt" })
            Recall($"/{field}", Remove, schema, $"update-manifests: /: required property '{field}' is missing");
        Recall("/recalledAt", "yesterday", timestamp, "update-manifests: /recalledAt: 'yesterday' is not an RFC 3339 timestamp with an offset");
        Recall("/reason", 1, schema, "update-manifests: /reason: 1 is not a string");
        foreach (var field in new[] { "updateId", "hostId", "installedAt" })
            Installation($"/{field}", Remove, schema, $"update-manifests: /: required property '{field}' is missing");
        Installation("/installedAt", "2024-07-19T04:10:57+25:00", timestamp, "update-manifests: /installedAt: '2024-07-19T04:10:57+25:00' is not an RFC 3339");
        Installation("/hostId", new JsonArray(), schema, "update-manifests: /hostId: an array is not a string");

        // several faults: a bad timestamp next to another fault is a schema rejection naming both
        Row(CrashTopic, With(With(Messages.Crash, "/occurredAt", "soon"), "/platform", "win"), schema, "'soon' is not an RFC 3339 timestamp with an offset");
        return rows;
    }

    [Theory]
    [MemberData(nameof(Broken))]
    public void Rejects_with_code_and_reason(string topic, string json, string code, string reason)
    {
        var result = Validator.Validate(topic, Bytes(json));

        var rejected = Assert.IsType<ValidationResult.Rejected>(result);
        Assert.Equal(code, rejected.Code);
        Assert.Contains(reason, rejected.Reason);
        Assert.Equal(topic, rejected.Topic);
    }

    private static JsonArray Frames(int count) =>
        new(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["module"] = $"m{i}.sys" }).ToArray());

    private static JsonArray Modules(int count) =>
        new(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject { ["name"] = $"m{i}.dll" }).ToArray());
}
