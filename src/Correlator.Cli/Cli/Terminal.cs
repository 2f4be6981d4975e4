using Spectre.Console;

namespace Correlator.Cli;

/// <summary>A Spectre console over a command's output writer: colour on a terminal, plain text and wide tables when redirected.</summary>
public static class Terminal
{
    public static IAnsiConsole For(TextWriter writer)
    {
        var redirected = !ReferenceEquals(writer, Console.Out) || Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (redirected) console.Profile.Width = 200;
        return console;
    }

    public static string When(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static string Confidence(double c) => c.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
}
