using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Json.Schema;
using Snapshooter.Xunit;

namespace Correlator.Tests.Schemas;

/// <summary>The schema files themselves: well-formed, documented, their examples valid, in step with the event records.</summary>
public class SchemaFileTests
{
    public static TheoryData<string> Files() => new(ContractSchemas.Names);

    public static TheoryData<string, int> InputExamples()
    {
        var rows = new TheoryData<string, int>();
        foreach (var name in new[] { ContractSchemas.CrashDumps, ContractSchemas.ServiceStatus, ContractSchemas.UpdateManifests })
            for (var i = 0; i < Document(name)["examples"]!.AsArray().Count; i++)
                rows.Add(name, i);
        return rows;
    }

    [Fact]
    public void The_four_contract_schemas_are_embedded() =>
        Assert.Equal(
            [ContractSchemas.CorrelationFindings, ContractSchemas.CrashDumps, ContractSchemas.ServiceStatus, ContractSchemas.UpdateManifests],
            ContractSchemas.Names);

    [Theory]
    [MemberData(nameof(Files))]
    public void Is_a_valid_draft_2020_12_schema_with_id_title_description_and_examples(string name)
    {
        var document = Document(name);

        var result = MetaSchemas.Draft202012.Evaluate(document, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("; ", result.Details.Where(d => d.HasErrors).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)document["$schema"]);
        Assert.Equal($"https://schemas.correlator.local/v1/{name}", (string?)document["$id"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)document["title"]));
        Assert.False(string.IsNullOrWhiteSpace((string?)document["description"]));
        Assert.NotEmpty(document["examples"]!.AsArray());
        Assert.NotNull(ContractSchemas.Build(name));
    }

    [Theory]
    [MemberData(nameof(InputExamples))]
    public void Every_input_example_is_accepted(string name, int index)
    {
        var example = Document(name)["examples"]![index]!;
        var topic = name.Replace(".schema.json", "", StringComparison.Ordinal);

        var result = new MessageValidator().Validate(topic, Encoding.UTF8.GetBytes(example.ToJsonString()));

        Assert.True(result.IsAccepted, result.ToString());
        Assert.Equal((string?)example["id"], result.MessageId);
    }

    /// <summary>The validator evaluates without format assertion (see MessageValidator): that is sound only while this holds.</summary>
    [Theory]
    [InlineData("crash-dumps.schema.json")]
    [InlineData("service-status.schema.json")]
    [InlineData("update-manifests.schema.json")]
    public void Every_format_in_an_input_schema_is_a_date_time_guarded_by_the_rfc3339_pattern(string name)
    {
        var formats = new List<JsonObject>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o["format"] is JsonValue) formats.Add(o);
                    foreach (var (_, child) in o) Walk(child);
                    break;
                case JsonArray a:
                    foreach (var child in a) Walk(child);
                    break;
            }
        }
        var document = Document(name);
        Walk(document);

        Assert.NotEmpty(formats);
        var pattern = (string?)document["$defs"]!["timestamp"]!["pattern"];
        Assert.NotNull(pattern);
        foreach (var o in formats)
        {
            Assert.Equal("date-time", (string?)o["format"]);
            Assert.Equal(pattern, (string?)o["pattern"]);
        }
    }

    [Theory]
    [InlineData("2024-02-30T04:09:00Z")]
    [InlineData("2023-02-29T04:09:00Z")]
    [InlineData("2024-07-19T04:09:00")]
    [InlineData("2024-13-19T04:09:00Z")]
    public void A_timestamp_that_is_not_a_real_rfc3339_instant_is_refused(string occurredAt)
    {
        var example = Document(ContractSchemas.CrashDumps)["examples"]![0]!.DeepClone();
        example["occurredAt"] = occurredAt;

        var result = new MessageValidator().Validate("crash-dumps", Encoding.UTF8.GetBytes(example.ToJsonString()));

        var rejected = Assert.IsType<ValidationResult.Rejected>(result);
        Assert.Contains("occurredAt", rejected.Reason);
    }

    [Fact]
    public void Every_findings_example_is_valid_and_a_broken_one_is_not()
    {
        var schema = ContractSchemas.Build(ContractSchemas.CorrelationFindings);
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        var examples = Document(ContractSchemas.CorrelationFindings)["examples"]!.AsArray();

        foreach (var example in examples)
            Assert.True(schema.Evaluate(example, options).IsValid, example!.ToJsonString());

        JsonNode Broken(string property, JsonNode? value)
        {
            var copy = examples[0]!.DeepClone();
            copy[property] = value;
            return copy;
        }
        Assert.False(schema.Evaluate(Broken("confidence", 1.5), options).IsValid);
        Assert.False(schema.Evaluate(Broken("status", "open"), options).IsValid);
        Assert.False(schema.Evaluate(Broken("detectedAt", "2024-07-19T04:13:05"), options).IsValid);
        Assert.False(schema.Evaluate(Broken("signatures", new JsonArray(new JsonObject { ["signature"] = "x", ["crashes"] = -1, ["hosts"] = 1 })), options).IsValid);
        Assert.False(schema.Evaluate(Broken("services", new JsonArray(new JsonObject { ["service"] = "x", ["region"] = "y", ["status"] = "down" })), options).IsValid);
        Assert.False(schema.Evaluate(Broken("evidence", "strong"), options).IsValid);
        Assert.True(schema.Evaluate(Broken("newField", "ignored"), options).IsValid);
        var missing = examples[0]!.DeepClone().AsObject();
        missing.Remove("explanation");
        Assert.False(schema.Evaluate(missing, options).IsValid);
    }

    /// <summary>A field added to a schema but not to its record (or the other way round) would be lost silently.</summary>
    [Theory]
    [InlineData(ContractSchemas.CrashDumps, "", typeof(CrashReported))]
    [InlineData(ContractSchemas.CrashDumps, "/properties/faultingModule", typeof(ModuleRef))]
    [InlineData(ContractSchemas.CrashDumps, "/properties/stack/items", typeof(StackFrame))]
    [InlineData(ContractSchemas.ServiceStatus, "", typeof(ServiceStatusObserved))]
    [InlineData(ContractSchemas.UpdateManifests, "/$defs/release", typeof(UpdateReleased))]
    [InlineData(ContractSchemas.UpdateManifests, "/$defs/release/properties/targets", typeof(UpdateTargets))]
    [InlineData(ContractSchemas.UpdateManifests, "/$defs/release/properties/artifacts/items", typeof(Artifact))]
    [InlineData(ContractSchemas.UpdateManifests, "/$defs/release/properties/rollout/items", typeof(RolloutWave))]
    [InlineData(ContractSchemas.UpdateManifests, "/$defs/recall", typeof(UpdateRecalled))]
    [InlineData(ContractSchemas.UpdateManifests, "/$defs/installation", typeof(UpdateInstalled))]
    public void Schema_properties_match_the_record_constructor(string name, string pointer, Type record)
    {
        var root = Document(name);
        var subschema = pointer.Length == 0 ? root : pointer.TrimStart('/').Split('/').Aggregate(root, (node, segment) => node[segment]!);
        // A manifest type's `id` is declared once at the root of update-manifests.
        var manifestType = name == ContractSchemas.UpdateManifests && subschema["properties"]?["type"] is not null;
        var properties = subschema["properties"]!.AsObject().Select(p => p.Key)
            .Concat(manifestType ? ["id"] : [])
            .Where(p => p != "type")
            .Order();
        var parameters = record.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters()
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!))
            .Order();
        Assert.Equal(parameters, properties);

        var required = (subschema["required"]?.AsArray().Select(r => (string)r!) ?? []).Where(r => r != "type").Order();
        var mandatory = record.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First().GetParameters()
            .Where(p => !p.HasDefaultValue).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!)).Order();
        Assert.Equal(mandatory, required);
    }

    [Fact]
    public void Schema_outline_snapshot()
    {
        var outline = ContractSchemas.Names.Select(name =>
        {
            var document = Document(name);
            return new
            {
                File = name,
                Id = (string?)document["$id"],
                Title = (string?)document["title"],
                Required = document["required"]?.AsArray().Select(r => (string?)r).ToArray(),
                Properties = document["properties"]!.AsObject().Select(p => p.Key).ToArray(),
                Definitions = document["$defs"]?.AsObject().Select(p => p.Key).ToArray(),
                Examples = document["examples"]!.AsArray().Count,
            };
        });
        Snapshot.Match(outline);
    }

    private static JsonNode Document(string name) => JsonNode.Parse(ContractSchemas.Text(name))!;
}
