using Correlator.Ingestion.Events;

namespace Correlator.Scenarios;

/// <summary>Builds crash reports the way dump collectors fill them: WER/kdump fields, stacks, loaded modules.</summary>
public static class Crashes
{
    private static readonly Dictionary<string, string[]> Functions = new()
    {
        ["ntoskrnl.exe"] = ["KiPageFault", "MmAccessFault", "KiSystemServiceCopyEnd", "IopfCallDriver", "ExpWorkerThread", "PspSystemThreadStartup", "KiStartSystemThread"],
        ["storport.sys"] = ["RaidUnitCompleteRequest", "RaidpAdapterDpcRoutine", "RaUnitStartIo", "StorPortNotification"],
        ["ntfs.sys"] = ["NtfsPagingFileIo", "NtfsCommonRead", "NtfsFsdRead", "NtfsNonCachedIo"],
        ["tcpip.sys"] = ["TcpTcbReceive", "IppReceiveHeaderBatch", "TcpDeliverDataToClient"],
        ["fltmgr.sys"] = ["FltpPerformPreCallbacks", "FltpDispatch", "FltpCreate"],
        ["win32kfull.sys"] = ["xxxDispatchMessage", "NtUserMessageCall", "xxxSendMessageTimeout"],
        ["ntdll.dll"] = ["RtlpFreeHeapInternal", "RtlFreeHeap", "RtlUserThreadStart"],
        ["KERNELBASE.dll"] = ["RaiseException", "RaiseFailFastException"],
        ["xfs"] = ["xfs_buf_ioend", "xfs_trans_committed_bulk", "xfsaild_push", "xfs_log_force"],
        ["ext4"] = ["ext4_writepages", "ext4_da_write_end", "ext4_end_io_end"],
        ["nvme"] = ["nvme_irq", "nvme_pci_complete_rq", "nvme_timeout"],
        ["mlx5_core"] = ["mlx5_eq_comp_int", "mlx5e_napi_poll", "mlx5_cmd_exec"],
        ["hv_netvsc"] = ["netvsc_poll", "netvsc_send_pkt"],
        ["i915"] = ["intel_atomic_commit_tail", "i915_gem_do_execbuffer", "intel_engine_pulse"],
        ["nf_conntrack"] = ["nf_ct_delete", "nf_conntrack_in", "__nf_conntrack_find_get"],
        ["vmlinux"] = ["do_syscall_64", "entry_SYSCALL_64_after_hwframe", "worker_thread", "kthread", "ret_from_fork", "out_of_memory", "panic"],
    };

    public static string Hex(Random rng, int max) => $"0x{rng.Next(0x100, max):x}";

    private static string HexDigits(Random rng, int bytes)
    {
        var b = new byte[bytes];
        rng.NextBytes(b);
        return Convert.ToHexString(b).ToLowerInvariant();
    }

    /// <summary>Collectors disagree on stop-code width: <c>0x50</c> or <c>0x00000050</c>.</summary>
    public static string StopCode(Random rng, string code) =>
        rng.NextDouble() < 0.3 ? $"0x{Convert.ToUInt32(code[2..], 16):X8}" : code;

    private static StackFrame Frame(Random rng, string module)
    {
        var fns = Functions.GetValueOrDefault(module);
        return new StackFrame(module, fns is null ? null : fns[rng.Next(fns.Length)], Hex(rng, 0x1fffff));
    }

    private static List<StackFrame> Stack(Random rng, string top, string bottom, int depth, string? second = null)
    {
        var frames = new List<StackFrame> { Frame(rng, top), Frame(rng, top) };
        if (second is not null) frames.Add(Frame(rng, second));
        for (var i = frames.Count; i < depth; i++) frames.Add(Frame(rng, bottom));
        return frames;
    }

    private static (string? Region, string? Fleet) Placement(Random rng, Host h) =>
        (rng.NextDouble() < 0.01 ? null : h.Region, rng.NextDouble() < 0.02 ? null : h.Fleet);

    private static string? Dump(Random rng, Host h, string id) =>
        rng.NextDouble() < 0.7 ? $"https://dumps.corp.example/{h.Region}/{h.Id}/{id}.{(h.IsWindows ? "dmp" : "vmcore")}" : null;

    private static readonly HashSet<string> Omitted = ["hal.dll", "ndis.sys", "dxgkrnl.sys", "vmbus.sys", "netvsc.sys", "nf_tables", "dm_mod", "overlay"];

    /// <summary>Loaded kernel modules: every third-party one, and the core ones a dump analysis usually lists.</summary>
    private static List<ModuleRef> KernelModules(Host h, DateTimeOffset at) =>
        h.Modules.Keys.Where(k => k != OsCatalog.OsKey && !Omitted.Contains(k)).Select(k => new ModuleRef(k, h.VersionAt(k, at))).ToList();

    public static CrashReported WindowsKernel(ScenarioBuilder b, Host h, DateTimeOffset at, string bugcheck, string module, string? second = null)
    {
        var rng = b.Rng;
        var id = b.NewId("wer");
        var (region, fleet) = Placement(rng, h);
        return new CrashReported(id, h.Id, at, "windows", "kernel", h.OsVersionAt(at), region, fleet,
            BugcheckCode: StopCode(rng, bugcheck),
            FaultingModule: new ModuleRef(module, h.VersionAt(module, at), Hex(rng, 0xfffff)),
            Stack: Stack(rng, module, "ntoskrnl.exe", rng.Next(3, 6), second),
            Modules: KernelModules(h, at),
            DumpUri: Dump(rng, h, id),
            DumpSha256: rng.NextDouble() < 0.1 ? HexDigits(rng, 32) : null);
    }

    public static CrashReported WindowsUser(ScenarioBuilder b, Host h, DateTimeOffset at, string exception, string process, string module)
    {
        var rng = b.Rng;
        var id = b.NewId("wer");
        var (region, fleet) = Placement(rng, h);
        var modules = new List<string> { process, "ntdll.dll", "KERNELBASE.dll", "kernel32.dll", "ucrtbase.dll", "user32.dll" };
        if (!modules.Contains(module)) modules.Add(module);
        return new CrashReported(id, h.Id, at, "windows", "user", h.OsVersionAt(at), region, fleet,
            ExceptionCode: exception, Process: process,
            FaultingModule: new ModuleRef(module, UserModuleVersion(module, h, at), Hex(rng, 0x3fffff)),
            Stack: Stack(rng, module, "ntdll.dll", rng.Next(3, 6), process == module ? null : process),
            Modules: modules.Select(m => new ModuleRef(m, UserModuleVersion(m, h, at))).ToList(),
            DumpUri: Dump(rng, h, id));
    }

    public static CrashReported LinuxKernel(ScenarioBuilder b, Host h, DateTimeOffset at, string panicMessage, string? module)
    {
        var rng = b.Rng;
        var id = b.NewId("kdump");
        var (region, fleet) = Placement(rng, h);
        var top = module ?? "vmlinux";
        return new CrashReported(id, h.Id, at, "linux", "kernel", h.OsVersionAt(at), region, fleet,
            PanicMessage: panicMessage,
            FaultingModule: module is null ? null : new ModuleRef(module, h.VersionAt(module, at)),
            Stack: Stack(rng, top, "vmlinux", rng.Next(3, 6)),
            Modules: KernelModules(h, at),
            DumpUri: Dump(rng, h, id));
    }

    public static CrashReported LinuxUser(ScenarioBuilder b, Host h, DateTimeOffset at, string signal, string process, string module)
    {
        var rng = b.Rng;
        var id = b.NewId("core");
        var (region, fleet) = Placement(rng, h);
        var modules = new List<string> { process, "libc.so.6", "ld-linux-x86-64.so.2", "libm.so.6", "libssl.so.3" };
        if (!modules.Contains(module)) modules.Add(module);
        return new CrashReported(id, h.Id, at, "linux", "user", h.OsVersionAt(at), region, fleet,
            Signal: signal, Process: process,
            FaultingModule: new ModuleRef(module, null, Hex(rng, 0x3fffff)),
            Stack: Stack(rng, module, "libc.so.6", rng.Next(3, 6)),
            Modules: modules.Select(m => new ModuleRef(m)).ToList(),
            DumpUri: Dump(rng, h, id));
    }

    /// <summary>A Linux panic message with the addresses and counters that vary from dump to dump.</summary>
    public static string PanicText(Random rng, string template) => template
        .Replace("{addr}", $"ffff{rng.NextInt64(0x1000_0000_0000, 0xffff_ffff_ffff):x12}")
        .Replace("{cpu}", rng.Next(0, 32).ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Replace("{secs}", rng.Next(22, 90).ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Replace("{pid}", rng.Next(300, 65000).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string? UserModuleVersion(string module, Host h, DateTimeOffset at) => module switch
    {
        "chrome.dll" or "chrome.exe" => h.VersionAt("chrome.exe", at) ?? "126.0.6478.127",
        "msedge.dll" or "msedge.exe" => "126.0.2592.102",
        "ntdll.dll" or "KERNELBASE.dll" or "kernel32.dll" or "user32.dll" or "ucrtbase.dll" or "explorer.exe" or "shell32.dll" or "windows.storage.dll" => h.OsVersionAt(at),
        _ => h.VersionAt(module, at),
    };
}
