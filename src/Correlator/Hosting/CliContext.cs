using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Correlator.Cli;

/// <summary>What every command shares: configuration (appsettings.json, CORRELATOR_-less env vars) and stderr logging.</summary>
public static class CliContext
{
    public static IConfigurationRoot Configuration(IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? [])
            .Build();

    public static ILoggerFactory Logging(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(b => ConfigureLogging(b, minimum));

    public static void ConfigureLogging(ILoggingBuilder b, LogLevel minimum = LogLevel.Information) => b
        .ClearProviders()
        .SetMinimumLevel(minimum)
        .AddFilter("Marten", LogLevel.Warning)
        .AddFilter("Wolverine", LogLevel.Warning)
        .AddFilter("JasperFx", LogLevel.Warning)
        .AddFilter("Microsoft", LogLevel.Warning)
        // "Hosting failed to start" with the stack trace: the exception reaches the command, which says it in one line.
        .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical)
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}
