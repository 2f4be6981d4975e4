namespace Correlator.Correlation;

public static class EngineProfile
{
    public static readonly long[] Ticks = new long[16];
    public static readonly long[] Counts = new long[16];
    public static readonly string[] Names = ["engine", "apply", "candidates", "sig.cases", "sig.score", "sig.local", "sig.attr", "services", "book", "svc.episodes", "svc.fits", "svc.locals", "svc.attr", "", "", ""];
    public static long Now => System.Diagnostics.Stopwatch.GetTimestamp();
    public static void Add(int i, long start) { Ticks[i] += System.Diagnostics.Stopwatch.GetTimestamp() - start; Counts[i]++; }
    public static void Reset() { Array.Clear(Ticks); Array.Clear(Counts); }
    public static string Report() => string.Join("\n", Enumerable.Range(0, 16).Where(i => Counts[i] > 0).Select(i => $"{Names[i],-14} {Ticks[i] * 1000.0 / System.Diagnostics.Stopwatch.Frequency,8:0.0} ms  n={Counts[i]}"));
}
