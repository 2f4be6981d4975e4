using Correlator.Ingestion.Events;
using Correlator.Tests.Support;
using JasperFx.Events;
using Marten;

namespace Correlator.Tests.Embedded;

[Collection(IntegrationCollection.Name)]
public class MartenStoreTests
{
    [Fact]
    public async Task Events_appended_to_the_embedded_postgres_read_back()
    {
        var scope = (await TestServices.Instance).NewScope();
        await using var store = DocumentStore.For(o =>
        {
            o.Connection(scope.ConnectionString);
            o.DatabaseSchemaName = scope.Schema;
            o.Events.StreamIdentity = StreamIdentity.AsString;
        });
        var crash = new CrashReported("c-1", "WIN-00042", DateTimeOffset.Parse("2024-07-19T04:15:00Z"), "windows", "kernel",
            BugcheckCode: "0x50", FaultingModule: new ModuleRef("csagent.sys", "7.16.18605.0"));

        await using (var session = store.LightweightSession())
        {
            session.Events.Append("host:WIN-00042", crash);
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync("host:WIN-00042");
        var read = Assert.IsType<CrashReported>(Assert.Single(events).Data);
        Assert.Equal(crash with { }, read with { Stack = null, Modules = null });
        Assert.Equal("csagent.sys", read.FaultingModule!.Name);
    }
}
