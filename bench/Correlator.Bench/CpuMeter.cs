using System.Diagnostics;

namespace Correlator.Replay;

/// <summary>
/// CPU spent over an interval by this process, by the JIT within it, and by the local PostgreSQL server's processes.
/// On a shared 2-core host the wall-clock rate of one run moves by ±20 % with the neighbours' load; CPU-seconds move far
/// less, so they are what tells two builds apart. The server's share is read from <c>/proc</c> (Linux): every live
/// process named <c>postgres</c>, which on the benchmark's machine is its embedded server. A remote server shows 0, and
/// backends that exit within the interval take their CPU with them (the pool keeps them open).
/// </summary>
public readonly record struct CpuMeter(TimeSpan Service, TimeSpan Jit, long JitMethods, TimeSpan Postgres)
{
    public static CpuMeter Now()
    {
        using var self = Process.GetCurrentProcess();
        return new(self.TotalProcessorTime, System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount(), PostgresCpu());
    }

    public CpuMeter Since(CpuMeter start) => new(Service - start.Service, Jit - start.Jit, JitMethods - start.JitMethods, Postgres - start.Postgres);

    /// <summary>
    /// CPU of one PostgreSQL server: the postmaster <paramref name="postmaster"/> and its children (backends, WAL writer,
    /// checkpointer), so that other servers on a shared machine do not count.
    /// </summary>
    public static TimeSpan ServerCpu(int postmaster) => PostgresCpu(postmaster);

    /// <summary>The postmaster of the backend with this process id (its parent), or null off Linux.</summary>
    public static int? PostmasterOf(int backend)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{backend}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return null; }
    }

    private static TimeSpan PostgresCpu(int? postmaster = null)
    {
        if (!Directory.Exists("/proc")) return TimeSpan.Zero;
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out _)) continue;
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid …"; utime and stime are the 12th and 13th fields after the comm.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
                if (open < 0 || close < open || stat.AsSpan(open + 1, close - open - 1) is not "postgres") continue;
                var fields = stat[(close + 2)..].Split(' ');
                if (postmaster is { } pm && Path.GetFileName(dir) != pm.ToString() && fields[1] != pm.ToString()) continue;
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException) { }
        }
        // USER_HZ is 100 on every Linux this runs on.
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
