using Spectre.Console;

namespace Correlator.Replay;

/// <summary>Progress bars go to stderr, so stdout carries only the result (a table or <c>--json</c>).</summary>
public static class CliConsole
{
    public static IAnsiConsole Error { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static Progress Progress() => Error.Progress()
        .AutoClear(false)
        .HideCompleted(false)
        .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn());

    /// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>).</summary>
    public static IProgress<T> Report<T>(Action<T> report) => new Inline<T>(report);

    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>"12,345/1,000,000 events 98,765/s".</summary>
    public static string Counts(long done, long total, string unit, TimeSpan elapsed) =>
        $"{done:N0}/{total:N0} {unit} {(elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0):N0}/s";
}
