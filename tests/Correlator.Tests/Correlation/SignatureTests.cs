using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Tests.Correlation;

public class SignatureTests
{
    private static CrashReported Kernel(string code, string? process) =>
        new("c1", "h1", DateTimeOffset.UnixEpoch, "windows", "kernel", "10.0.22631.3880", null, null,
            BugcheckCode: code, Process: process, FaultingModule: new ModuleRef("ntoskrnl.exe"));

    [Theory]
    [InlineData("0xEF", "lsass.exe", "windows-kernel:0x000000ef:ntoskrnl.exe:lsass.exe")]
    [InlineData("0x000000F4", "csrss.exe", "windows-kernel:0x000000f4:ntoskrnl.exe:csrss.exe")]
    [InlineData("0xC000021A", "winlogon.exe", "windows-kernel:0xc000021a:ntoskrnl.exe:winlogon.exe")]
    [InlineData("0xEF", null, "windows-kernel:0x000000ef:ntoskrnl.exe")]
    [InlineData("0x50", "lsass.exe", "windows-kernel:0x00000050:ntoskrnl.exe")]
    public void A_process_death_bugcheck_keeps_the_process_that_died(string code, string? process, string expected) =>
        Assert.Equal(expected, Signature.Of(Kernel(code, process)));
}
