using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Correlator.Bench;
using Correlator.Correlation;
using Correlator.Findings;

namespace Correlator.Tests.Findings;

/// <summary>
/// The findings subscription's checkpoint format: a windowed engine copied mid-history and run on gives the findings of the
/// engine that was never copied, and a snapshot that is corrupt or from another layout is refused, never half-read.
/// </summary>
public class StateSnapshotTests
{
    [Fact]
    public void An_engine_restored_mid_history_gives_the_same_findings_as_the_uninterrupted_one()
    {
        var history = new FleetHistory(hosts: 300, days: 24, services: 1);
        var minutes = history.Minutes();
        var uninterrupted = new CorrelationEngine { Windowed = true };
        FindingsState? copy = null;
        byte[]? bytes = null;
        foreach (var (minute, page) in minutes)
        {
            uninterrupted.AddRange(page);
            uninterrupted.Advance();
            if (copy is not null) { copy.Engine.AddRange(page); copy.Engine.Advance(); }
            if (copy is null && minute >= history.BurstAt.AddMinutes(20))
            {
                // Mid burst day, findings open and crash times evicted: the hardest state to copy.
                var state = new FindingsState(uninterrupted);
                state.Emitted["x"] = 3;
                state.Watermark = page.Count > 0 ? CorrelationEngine.KnownAt(page[0]) : null;
                Assert.Contains(uninterrupted.Evaluate(), h => h.UpdateId == FleetHistory.BurstUpdate);
                bytes = StateSnapshot.Write(state);
                copy = StateSnapshot.Read<FindingsState>(bytes);
                Assert.Equal(bytes, StateSnapshot.Write(copy));
                Assert.Equal(3, copy.Emitted["x"]);
            }
        }
        Assert.NotNull(copy);
        var expected = uninterrupted.Evaluate();
        Assert.Contains(expected, h => h.UpdateId == FleetHistory.BurstUpdate);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(copy!.Engine.Evaluate()));
        Assert.True(uninterrupted.Evicted > 0);
    }

    [Fact]
    public void A_corrupt_snapshot_or_one_of_another_layout_is_refused()
    {
        var state = new FindingsState(new CorrelationEngine()) { Watermark = FleetHistory.Start };
        state.Emitted["F-1"] = 2;
        var bytes = StateSnapshot.Write(state);
        Assert.Equal(2, StateSnapshot.Read<FindingsState>(bytes).Emitted["F-1"]);

        var flipped = (byte[])bytes.Clone();
        flipped[flipped.Length / 2] ^= 0x5A;
        Assert.Throws<InvalidDataException>(() => StateSnapshot.Read<FindingsState>(flipped));
        Assert.Throws<InvalidDataException>(() => StateSnapshot.Read<FindingsState>(bytes[..(bytes.Length / 2)]));
        Assert.Throws<InvalidDataException>(() => StateSnapshot.Read<FindingsState>([1, 2, 3]));

        // The same bytes with the layout a build with another field would have written.
        var raw = Inflate(bytes);
        var text = Encoding.UTF8.GetBytes("<Watermark>k__BackingField:");
        var at = raw.AsSpan().IndexOf(text);
        Assert.True(at > 0);
        Encoding.UTF8.GetBytes("<Watermarx>k__BackingField:").CopyTo(raw, at);
        var e = Assert.Throws<InvalidDataException>(() => StateSnapshot.Read<FindingsState>(Deflate(raw)));
        Assert.Contains("layout of FindingsState changed", e.Message);
    }

    private static byte[] Inflate(byte[] data)
    {
        using var z = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var m = new MemoryStream();
        z.CopyTo(m);
        return m.ToArray();
    }

    private static byte[] Deflate(byte[] raw)
    {
        using var m = new MemoryStream();
        using (var z = new ZLibStream(m, CompressionLevel.Fastest, leaveOpen: true)) z.Write(raw);
        return m.ToArray();
    }
}
