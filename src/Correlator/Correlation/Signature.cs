using System.Globalization;
using System.Text.RegularExpressions;
using Correlator.Ingestion.Events;

namespace Correlator.Correlation;

/// <summary>
/// Deterministic, platform-aware failure signatures, in the spirit of WinDbg's FAILURE_BUCKET_ID and
/// Socorro's signatures. Shapes:
/// <list type="bullet">
/// <item><c>windows-kernel:0x00000050:csagent.sys</c> — bugcheck (8 hex digits) + faulting module</item>
/// <item><c>windows-kernel:0x000000ef:ntoskrnl.exe:lsass.exe</c> — a process-death bugcheck (0xEF, 0xF4, 0xC000021A) keeps the
/// process that died when the report names it: the kernel is always the faulting module there, and "0xEF in lsass.exe" has a
/// far lower baseline than 0xEF for any reason</item>
/// <item><c>windows-user:0xc0000005:ntdll.dll:explorer.exe</c> — exception + module + process</item>
/// <item><c>linux-kernel:page-fault:nvme</c> — panic class + module (same for <c>macos-kernel</c>)</item>
/// <item><c>linux-user:SIGSEGV:libc.so.6:nginx</c> — signal + module + process (same for <c>macos-user</c>)</item>
/// <item><c>service:Azure Virtual Machines@centralus</c> — a service degradation (region <c>global</c> when absent)</item>
/// </list>
/// Module and process names are lower-cased; a missing part is <c>unknown</c>.
/// </summary>
public static partial class Signature
{
    public const string Unknown = "unknown";

    public static string Of(CrashReported c)
    {
        var platform = c.Platform.ToLowerInvariant();
        var module = FaultingModule(c);
        var process = Lower(c.Process);
        return (platform, c.Kind.ToLowerInvariant()) switch
        {
            ("windows", "kernel") when IsProcessDeath(HexCode(c.BugcheckCode)) && process != Unknown =>
                $"windows-kernel:{HexCode(c.BugcheckCode)}:{module}:{process}",
            ("windows", "kernel") => $"windows-kernel:{HexCode(c.BugcheckCode)}:{module}",
            ("windows", _) => $"windows-user:{HexCode(c.ExceptionCode)}:{module}:{process}",
            (_, "kernel") => $"{platform}-kernel:{PanicClass(c.PanicMessage)}:{module}",
            _ => $"{platform}-user:{SignalName(c.Signal)}:{module}:{process}",
        };
    }

    /// <summary>Bugchecks raised because a critical process died: CRITICAL_PROCESS_DIED, CRITICAL_OBJECT_TERMINATION,
    /// STATUS_SYSTEM_PROCESS_TERMINATED.</summary>
    public static bool IsProcessDeath(string hexCode) => hexCode is "0x000000ef" or "0x000000f4" or "0xc000021a";

    public static string OfService(string service, string? region) => $"service:{service}@{(string.IsNullOrWhiteSpace(region) ? "global" : region)}";

    public static bool IsService(string signature) => signature.StartsWith("service:", StringComparison.Ordinal);

    /// <summary>The faulting module: the named one, else the top stack frame's, else <c>unknown</c>.</summary>
    public static string FaultingModule(CrashReported c) =>
        Lower(c.FaultingModule?.Name ?? c.Stack?.FirstOrDefault()?.Module);

    /// <summary><c>0x50</c>, <c>0x00000050</c> and <c>50</c> all become <c>0x00000050</c>; codes wider than 32 bits keep their digits.</summary>
    public static string HexCode(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return Unknown;
        var digits = code.Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) digits = digits[2..];
        if (!ulong.TryParse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value)) return Lower(code);
        return value <= uint.MaxValue ? $"0x{value:x8}" : $"0x{value:x}";
    }

    public static string SignalName(string? signal)
    {
        if (string.IsNullOrWhiteSpace(signal)) return Unknown;
        var s = signal.Trim().ToUpperInvariant();
        return s.StartsWith("SIG", StringComparison.Ordinal) ? s : "SIG" + s;
    }

    /// <summary>A short class for the first line of a kernel panic or oops, stable across addresses and values.</summary>
    public static string PanicClass(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return Unknown;
        var m = message.ToLowerInvariant();
        foreach (var (pattern, name) in PanicClasses)
            if (m.Contains(pattern, StringComparison.Ordinal)) return name;
        // Fallback: the words of the message without numbers, addresses and punctuation.
        var words = Words().Matches(m).Select(x => x.Value).Where(w => !w.Any(char.IsDigit)).Take(6);
        var slug = string.Join('-', words);
        return slug.Length == 0 ? Unknown : slug;
    }

    private static readonly (string Pattern, string Name)[] PanicClasses =
    [
        ("null pointer dereference", "null-deref"),
        ("unable to handle page fault", "page-fault"),
        ("unable to handle kernel paging request", "page-fault"),
        ("general protection fault", "gpf"),
        ("soft lockup", "soft-lockup"),
        ("hard lockup", "hard-lockup"),
        ("hung_task", "hung-task"),
        ("blocked for more than", "hung-task"),
        ("kernel bug at", "kernel-bug"),
        ("out of memory", "oom"),
        ("vfs: unable to mount root", "no-root-fs"),
        ("attempted to kill init", "init-killed"),
        ("fatal exception in interrupt", "fatal-interrupt"),
        ("fatal exception", "fatal-exception"),
        ("machine check", "machine-check"),
        ("watchdog", "watchdog"),
        ("double fault", "double-fault"),
        ("stack-protector", "stack-protector"),
        ("rcu", "rcu-stall"),
    ];

    private static string Lower(string? s) => string.IsNullOrWhiteSpace(s) ? Unknown : s.Trim().ToLowerInvariant();

    [GeneratedRegex("[a-z_]+")]
    private static partial Regex Words();
}
