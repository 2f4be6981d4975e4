using System.Diagnostics;

namespace Correlator.Tests.Support;

/// <summary>`correlator serve` in its own process (one node), on a test's PostgreSQL schema and topics.</summary>
public static class ServiceProcess
{
    public static Process Start(TestScope scope, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "correlator.dll"), "serve", "--urls", "http://127.0.0.1:0" }) psi.ArgumentList.Add(a);
        foreach (var (key, value) in scope.Configuration().Concat(settings ?? []))
            psi.Environment[key.Replace(":", "__")] = value;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi)!;
        // CORRELATOR_NODE_LOGS=dir keeps each node's warnings and errors in dir/node-<pid>.log (for diagnosis).
        var keep = Environment.GetEnvironmentVariable("CORRELATOR_NODE_LOGS") is { Length: > 0 } dir
            ? TextWriter.Synchronized(new StreamWriter(Path.Combine(Directory.CreateDirectory(dir).FullName, $"node-{process.Id}.log")) { AutoFlush = true })
            : null;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) keep?.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) keep?.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails early when one of <paramref name="services"/> exited.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what, IEnumerable<Process>? services = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (!await condition())
        {
            if (services?.FirstOrDefault(s => s.HasExited) is { } dead) throw new InvalidOperationException($"a service exited ({dead.ExitCode}) before {what}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
