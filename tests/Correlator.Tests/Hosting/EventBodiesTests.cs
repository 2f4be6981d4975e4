using System.Text.Json.Nodes;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Tests.Support;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Hosting;

/// <summary>Input events keep their bodies as bytes; the bytes must be the JSON Marten's serializer writes, so SQL over them sees what it would see in jsonb.</summary>
[Collection(IntegrationCollection.Name)]
public class EventBodiesTests
{
    [Fact]
    public async Task Every_input_event_of_the_flagship_scenario_is_stored_as_Marten_would_write_it_and_reads_back_equal()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var app = CorrelatorHost.Build(scope.Configuration(), logLevel: LogLevel.Warning);
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var marten = store.Options.Serializer();
        var bodies = new EventBodies();
        var validator = new MessageValidator();
        var seen = new HashSet<Type>();
        var graph = (Marten.Events.EventGraph)store.Options.Events;

        foreach (var line in Correlator.Scenarios.ScenarioCatalog.Generate("july-2024-small").Lines)
        {
            if (validator.Validate(line.Topic, line.Bytes()) is not ValidationResult.Accepted accepted) continue;
            var e = IngestBatch.Stamp(accepted.Event, accepted.EventTime);
            var type = e.GetType();
            Assert.True(graph.EventMappingFor(type).IsBinary, $"{type.Name} should be stored as bytes");
            var bytes = bodies.Serialize(type, e);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(marten.ToJson(e)), JsonNode.Parse(bytes)), $"{type.Name}: {System.Text.Encoding.UTF8.GetString(bytes)}");
            Assert.Equal(marten.ToJson(e), marten.ToJson(bodies.Deserialize(type, bytes)));
            seen.Add(type);
        }

        // Every type stored as bytes was exercised.
        Assert.Equal(BinaryTypes(store).Select(t => t.Name).Order(), seen.Select(t => t.Name).Order());
    }

    [Fact]
    public async Task No_code_reads_an_input_type_through_Marten_queries_that_only_see_jsonb()
    {
        // QueryRawEventDataOnly<T> and LINQ over T read mt_events.data, which for these types is the empty placeholder:
        // such a query compiles, runs and silently returns empty objects.
        await using var app = CorrelatorHost.Build([new("ConnectionStrings:Marten", "Host=127.0.0.1;Port=9"), new("Kafka:BootstrapServers", "127.0.0.1:9")],
            logLevel: LogLevel.Warning);
        var inputs = BinaryTypes(app.Services.GetRequiredService<IDocumentStore>()).Select(t => t.Name).ToList();
        Assert.NotEmpty(inputs);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Correlator.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var offenders = new[] { "src", "tests" }
            .SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root!.FullName, dir), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f =>
            {
                var text = File.ReadAllText(f);
                return inputs.Where(t => text.Contains($"QueryRawEventDataOnly<{t}>") || text.Contains($"Query<{t}>()"))
                    .Select(t => $"{Path.GetRelativePath(root!.FullName, f)}: {t}");
            })
            .ToList();
        Assert.Empty(offenders);
    }

    private static IEnumerable<Type> BinaryTypes(IDocumentStore store)
    {
        var graph = (Marten.Events.EventGraph)store.Options.Events;
        return store.Options.Events.AllKnownEventTypes().Select(t => t.EventType).Where(t => graph.EventMappingFor(t).IsBinary);
    }

    [Fact]
    public void An_empty_body_is_refused_with_its_type_named()
    {
        var error = Assert.ThrowsAny<System.Text.Json.JsonException>(() => new EventBodies().Deserialize(typeof(Correlator.Ingestion.Events.CrashReported), "null"u8.ToArray()));
        Assert.Contains("CrashReported", error.Message);
    }
}
