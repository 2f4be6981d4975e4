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

    /// <summary>
    /// One line per entry on stderr. The formatter is left to configuration, so a host given
    /// <c>Logging:Console:FormatterName=json</c> (env <c>Logging__Console__FormatterName=json</c>) logs JSON lines instead.
    /// </summary>
    public static void ConfigureLogging(ILoggingBuilder b, LogLevel minimum = LogLevel.Information) => b
        .ClearProviders()
        .SetMinimumLevel(minimum)
        .AddFilter("Marten", LogLevel.Warning)
        .AddFilter("Wolverine", LogLevel.Warning)
        .AddFilter("JasperFx", LogLevel.Warning)
        .AddFilter("Microsoft", LogLevel.Warning)
        // "Hosting failed to start" with the stack trace: the exception reaches the command, which says it in one line.
        .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical)
        .AddConsole(o =>
        {
            o.LogToStandardErrorThreshold = LogLevel.Trace;
            // Runs after the configuration was bound: unset means ours (a null name would apply the legacy options instead).
            o.FormatterName ??= ConsoleFormatterNames.Simple;
        })
        .Services.Configure<SimpleConsoleFormatterOptions>(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
}
