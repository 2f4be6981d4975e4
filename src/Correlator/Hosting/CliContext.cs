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

    public const string SimpleFormat = ConsoleFormatterNames.Simple, JsonFormat = ConsoleFormatterNames.Json;
    public const string FormatterSetting = "Logging:Console:FormatterName";

    /// <summary>The command line's <c>--log-format</c>, for the command it runs and every host that command builds.</summary>
    public static readonly AsyncLocal<string?> LogFormat = new();

    public static ILoggerFactory Logging(LogLevel minimum = LogLevel.Information) =>
        LoggerFactory.Create(b => ConfigureLogging(b, minimum, Configuration()));

    /// <summary>
    /// One line per entry on stderr, dated in UTC (ISO 8601). <c>--log-format json</c>, or the setting
    /// <c>Logging:Console:FormatterName=json</c> (env <c>Logging__Console__FormatterName=json</c>), logs one JSON object per line instead.
    /// </summary>
    public static void ConfigureLogging(ILoggingBuilder b, LogLevel minimum, IConfiguration configuration)
    {
        var format = FormatOf(LogFormat.Value ?? configuration[FormatterSetting]);
        b.ClearProviders()
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
                // Runs after any binding of Logging:Console, so what FormatOf decided wins.
                o.FormatterName = format;
            });
        b.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        b.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
        });
    }

    /// <summary>simple (the default) or json; anything else is a configuration error, not a silent fallback.</summary>
    public static string FormatOf(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or SimpleFormat => SimpleFormat,
        JsonFormat => JsonFormat,
        _ => throw new ConfigurationProblem($"{FormatterSetting} (or --log-format) must be simple or json, not '{name}'"),
    };
}
