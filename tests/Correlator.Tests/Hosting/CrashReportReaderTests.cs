using System.Text;
using System.Text.Json;
using Correlator.Hosting;
using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using Correlator.Scenarios;

namespace Correlator.Tests.Hosting;

/// <summary>The hand-rolled crash report reader must give exactly what the generated contract gives, or step aside.</summary>
public class CrashReportReaderTests
{
    private static readonly EventBodies Bodies = new();

    private static string Json(CrashReported c) => Encoding.UTF8.GetString(Bodies.Serialize(typeof(CrashReported), c));

    private static CrashReported Contract(byte[] body) => JsonSerializer.Deserialize(body, EventBodyJson.Default.CrashReported)!;

    [Fact]
    public void Every_crash_report_of_every_scenario_reads_back_as_the_generated_contract_reads_it()
    {
        var validator = new MessageValidator();
        var read = 0;
        foreach (var name in ScenarioCatalog.Names)
        foreach (var line in ScenarioCatalog.Generate(name).Lines)
        {
            if (validator.Validate(line.Topic, line.Bytes()) is not ValidationResult.Accepted { Event: CrashReported crash } accepted) continue;
            var body = Bodies.Serialize(typeof(CrashReported), IngestBatch.Stamp(crash, accepted.EventTime));
            var fast = CrashReportReader.TryRead(body);
            Assert.NotNull(fast);
            Assert.Equal(Json(Contract(body)), Json(fast));
            Assert.Equal(Encoding.UTF8.GetString(body), Json(fast));
            read++;
        }
        Assert.True(read > 1000, $"only {read} crash reports in the scenarios");
    }

    public static TheoryData<string> OtherShapes => new()
    {
        // properties in another order, unknown ones of every kind, escapes in names and values
        """{"observedAt":"2024-07-19T04:20:00+00:00","kind":"kernel","platform":"windows","hostId":"WIN-1","occurredAt":"2024-07-19T04:15:00Z","id":"c-1","extra":{"a":[1,{"b":null}]},"more":[1,2],"n":5,"t":true}""",
        """{"id":"c-\u00e9\"2\"","h\u006fstId":"WIN-\u0031","occurredAt":"2024-07-19T04:15:00.1234567-05:00","platform":"linux","kind":"user","signal":"SIGSEGV","process":"nginx\n"}""",
        // nulls and absent properties, empty lists
        """{"id":null,"hostId":null,"occurredAt":"2024-07-19T04:15:00Z","platform":null,"kind":null,"faultingModule":null,"stack":null,"modules":null}""",
        """{"occurredAt":"2024-07-19T04:15:00Z","stack":[],"modules":[]}""",
        """{}""",
        // nested objects with unknown and missing members, whitespace
        """  { "faultingModule" : { "offset" : "0x1", "name" : "csagent.sys", "x" : [ ] } , "stack" : [ { "module" : "ntoskrnl.exe" }, { "function" : "f", "module" : "m", "offset" : null, "y" : {} } ], "modules" : [ { "name" : "a" } ] , "occurredAt":"2024-07-19T04:15:00Z"}  """,
        // a property twice: the last one wins, as in the generated contract
        """{"id":"first","id":"second","occurredAt":"2024-07-19T04:15:00Z"}""",
    };

    [Theory]
    [MemberData(nameof(OtherShapes))]
    public void Other_shapes_read_as_the_generated_contract_reads_them(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var fast = CrashReportReader.TryRead(body);
        Assert.NotNull(fast);
        Assert.Equal(Json(Contract(body)), Json(fast));
    }

    public static TheoryData<string> Declined => new()
    {
        """{"id":5,"occurredAt":"2024-07-19T04:15:00Z"}""",
        """{"occurredAt":null}""",
        """{"occurredAt":"yesterday"}""",
        """{"stack":[null],"occurredAt":"2024-07-19T04:15:00Z"}""",
        """{"faultingModule":"csagent.sys"}""",
        """{"modules":{}}""",
        """{"id":"c-1"} {"id":"c-2"}""",
        """{"id":"c-1" /* comment */}""",
        """{"id":"c-1",}""",
        """{"id":"c-1" """,
        """[]""",
        """null""",
        "",
    };

    [Theory]
    [MemberData(nameof(Declined))]
    public void Anything_else_is_left_to_the_generated_contract_and_reads_or_fails_exactly_as_it_does(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        Assert.Null(CrashReportReader.TryRead(body));

        CrashReported? expected = null;
        object? actual = null;
        var expectedError = Record.Exception(() => expected = Contract(body));
        var actualError = Record.Exception(() => actual = Bodies.Deserialize(typeof(CrashReported), body));
        if (expectedError is not null)
        {
            // The contract's own error, unchanged.
            Assert.NotNull(actualError);
            Assert.Equal(expectedError.GetType(), actualError.GetType());
            Assert.Equal(expectedError.Message, actualError.Message);
        }
        else if (expected is null) Assert.Contains("an empty CrashReported body", Assert.IsAssignableFrom<JsonException>(actualError).Message);
        else Assert.Equal(Json(expected), Json((CrashReported)actual!));
    }

    /// <summary>
    /// A property added to a crash report (or to its modules and frames) that the reader does not know would be dropped
    /// silently on every read; scenarios may not set it yet, so this sets every property the records have.
    /// </summary>
    [Fact]
    public void Every_property_of_a_crash_report_and_of_its_parts_is_read()
    {
        var crash = (CrashReported)Sample(typeof(CrashReported), "crash");
        var body = Bodies.Serialize(typeof(CrashReported), crash);
        Assert.DoesNotContain("null", Encoding.UTF8.GetString(body));
        var fast = CrashReportReader.TryRead(body);
        Assert.NotNull(fast);
        Assert.Equal(Encoding.UTF8.GetString(body), Json(fast));
    }

    private static object Sample(Type type, string name)
    {
        if (type == typeof(string)) return $"{name}-value";
        if (type == typeof(DateTimeOffset)) return new DateTimeOffset(2024, 7, 19, 4, 9, 0, TimeSpan.Zero).AddSeconds(name.Length);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GenericTypeArguments[0]))!;
            list.Add(Sample(type.GenericTypeArguments[0], name + "0"));
            list.Add(Sample(type.GenericTypeArguments[0], name + "1"));
            return list;
        }
        if (type.Namespace == typeof(CrashReported).Namespace && type.GetConstructors() is [var ctor])
        {
            var parameters = ctor.GetParameters();
            var value = ctor.Invoke(parameters.Select(p => Sample(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType, $"{name}.{p.Name}")).ToArray());
            foreach (var property in type.GetProperties().Where(p => p.CanWrite && !parameters.Any(a => string.Equals(a.Name, p.Name, StringComparison.OrdinalIgnoreCase))))
                property.SetValue(value, Sample(property.PropertyType, $"{name}.{property.Name}"));
            return value;
        }
        throw new NotSupportedException($"No sample for {type.Name} ({name}): teach this test, and CrashReportReader, the new property.");
    }

    [Fact]
    public void Invalid_UTF8_in_a_value_is_declined_too()
    {
        var body = Encoding.UTF8.GetBytes("""{"id":"c-?","occurredAt":"2024-07-19T04:15:00Z"}""");
        body[Array.IndexOf(body, (byte)'?')] = 0xFF;
        Assert.Null(CrashReportReader.TryRead(body));
    }
}
