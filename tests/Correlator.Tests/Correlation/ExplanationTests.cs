using Correlator.Correlation;
using Correlator.Ingestion.Events;

namespace Correlator.Tests.Correlation;

/// <summary>The sentence an SRE pastes: it names the platforms that are actually failing (pure).</summary>
public class ExplanationTests
{
    private static readonly DateTimeOffset Released = new(2024, 7, 18, 21, 30, 0, TimeSpan.Zero);

    private static SignatureEvidence Evidence(string signature, int crashes, int hosts, string module) => new(
        signature, crashes, hosts, hosts, 0, 0, 48, 100, 0.001, 0.2, 194, 1e-9, 1, 30, 0, false, module, 12, 1e6, 0.99, null, 0);

    private static string Explain(params (string Signature, int Crashes, int Hosts, string Module)[] signatures)
    {
        var update = new UpdateExposure("microsoft/azure-storage/config-2024-07-18-cus");
        update.AddRelease(new UpdateReleased("rel-1", update.UpdateId, "Microsoft", "Azure Storage", "2024-07-18-cus", Released, Kind: "config"));
        var finding = new Finding("F-1", FindingStatus.Suspected, update.UpdateId, "Microsoft", "Azure Storage", "2024-07-18-cus", 0.9953,
            signatures.Select(s => new FindingSignature(s.Signature, s.Crashes, s.Hosts)).ToList(), [],
            new FindingEvidence(Released, null, "targets", 0.01, 0.9953, signatures.Select(s => Evidence(s.Signature, s.Crashes, s.Hosts, s.Module)).ToList(), []),
            "", Released.AddMinutes(13), Released.AddMinutes(17));
        return Explanation.For(finding, update);
    }

    [Fact]
    public void A_mix_of_Windows_and_Linux_crashes_names_both_platforms_with_their_counts()
    {
        var text = Explain(("windows-kernel:0x0000007a:storport.sys", 17, 16, "storport.sys"),
            ("linux-kernel:hung-task:xfs", 9, 9, "xfs"), ("linux-kernel:hung-task:ext4", 6, 6, "ext4"));

        Assert.Contains("32 crashes on 31 Windows and Linux hosts (17 crashes on Windows, 15 on Linux; bugcheck 0x7A in storport.sys and 2 related signatures)", text);
        Assert.DoesNotContain(" Windows hosts", text);
    }

    [Fact]
    public void The_platform_with_most_crashes_comes_first_and_three_platforms_are_listed()
    {
        var text = Explain(("linux-kernel:hung-task:xfs", 20, 20, "xfs"), ("windows-kernel:0x0000007a:storport.sys", 5, 5, "storport.sys"),
            ("macos-kernel:panic:apfs", 2, 2, "apfs"));

        Assert.Contains("27 crashes on 27 Linux, Windows and macOS hosts (20 crashes on Linux, 5 on Windows, 2 on macOS; kernel hung-task in xfs", text);
    }

    [Fact]
    public void One_platform_keeps_the_short_form()
    {
        var text = Explain(("windows-kernel:0x00000050:csagent.sys", 944, 476, "csagent.sys"), ("windows-kernel:0x0000007e:csagent.sys", 138, 123, "csagent.sys"));

        Assert.Contains("1,082 crashes on 599 Windows hosts (bugcheck 0x50 in csagent.sys and 1 related signature)", text);
    }

    [Theory]
    [InlineData("windows-user:0xc0000005:ntdll.dll:explorer.exe", "Windows")]
    [InlineData("linux-kernel:page-fault:nvme", "Linux")]
    [InlineData("macos-user:SIGSEGV:libsystem.dylib:finder", "macOS")]
    public void Platform_names_come_from_the_signature(string signature, string platform) =>
        Assert.Equal(platform, Explanation.PlatformOf(signature));
}
