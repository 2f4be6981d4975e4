using Correlator.Hosting;
using Microsoft.Extensions.Configuration;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Hosting;

public class CorrelatorHostTests
{
    [Fact]
    public async Task A_setting_given_twice_takes_the_later_value()
    {
        // What serve, rebuild and the benchmarks do with a configured connection string: the configuration, then what they started.
        KeyValuePair<string, string?>[] settings =
        [
            new("ConnectionStrings:Marten", "Host=configured.example;Database=a"),
            new("Store:Schema", "first"),
            new("connectionstrings:marten", "Host=127.0.0.1;Database=b"),
            new("Store:Schema", "second"),
            new("Kafka:BootstrapServers", "127.0.0.1:9"),
        ];

        await using var app = CorrelatorHost.Build(settings, logLevel: LogLevel.Warning);

        Assert.Equal("Host=127.0.0.1;Database=b", app.Configuration.GetConnectionString("Marten"));
        Assert.Equal("second", app.Services.GetRequiredService<IDocumentStore>().Options.DatabaseSchemaName);
    }
}
