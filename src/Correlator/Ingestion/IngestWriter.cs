using Correlator.Telemetry;
using Marten;

namespace Correlator.Ingestion;

/// <summary>Stores one batch in one transaction: receipts first, then only the events whose receipts were new.</summary>
public sealed class IngestWriter(IDocumentStore store, SetBasedAppend append, CorrelatorMetrics? metrics = null, StoreStages? stages = null)
{
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;

    public sealed record Outcome(int Accepted, int Duplicates, int Rejected);

    /// <summary>Fails if Marten's event tables are not the shape the writer appends to (see <see cref="SetBasedAppend"/>).</summary>
    public Task CheckStoreAsync(CancellationToken ct) => append.CheckTableShapeAsync(ct);

    public async Task<Outcome> WriteAsync(IngestBatch batch, DateTimeOffset now, CancellationToken ct)
    {
        if (batch.Accepted.Count == 0 && batch.Rejected.Count == 0 && batch.Watermark is null && batch.Clock is null) return new Outcome(0, 0, 0);
        if (batch.Clock is not null) batch.Watermark = null; // decided again by this attempt
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);

        var keys = batch.Accepted.Select(a => (a.Topic, a.MessageId))
            .Concat(batch.Rejected.Select(r => (IngestBatch.RejectionReceiptTopic(r.Record.Topic), r.ReceiptId)))
            .Distinct()
            .ToList();
        var lap = System.Diagnostics.Stopwatch.GetTimestamp();
        var claimed = await IngestReceipts.ClaimAsync(conn, _schema, keys, now, ct);
        lap = stages?.Lap(StoreStages.Stage.Receipts, lap) ?? lap;

        int accepted = 0, duplicates = 0, rejected = 0;
        var stored = new List<(string Topic, string Outcome, string? Reason)>(batch.Count);
        var rows = new List<SetBasedAppend.Row>(batch.Accepted.Count + batch.Rejected.Count + 1);
        foreach (var a in batch.Accepted)
        {
            // Remove as we go: a second copy of the same id inside this batch is a duplicate too.
            if (!claimed.Remove((a.Topic, a.MessageId))) { duplicates++; stored.Add((a.Record.Topic, "duplicate", null)); continue; }
            var stream = StreamKeys.For(a.Event);
            rows.Add(new(stream, a.Event));
            if (a.Skew is not null) rows.Add(new(stream, a.Skew));
            stored.Add((a.Record.Topic, "accepted", null));
            accepted++;
        }
        foreach (var r in batch.Rejected)
        {
            if (!claimed.Remove((IngestBatch.RejectionReceiptTopic(r.Record.Topic), r.ReceiptId))) continue;
            rows.Add(new(StreamKeys.For(r.Event), r.Event));
            stored.Add((r.Record.Topic, "rejected", r.Code));
            rejected++;
        }
        if (batch.Clock is { } clock)
        {
            // Stored with the records they vouch for; the group's clocks as committed by every node decide the watermark.
            var group = await PartitionClocks.SaveAndReadAsync(conn, _schema, clock.Group, clock.Node, clock.Mine, ct);
            if (await clock.Decide(group, ct) is { } at) batch.Watermark = new IngestWatermarkAdvanced(at);
            lap = stages?.Lap(StoreStages.Stage.Clocks, lap) ?? lap;
        }
        // Last, so that everything the watermark vouches for comes before it in the event order.
        if (batch.Watermark is not null) rows.Add(new(StreamKeys.Watermark, batch.Watermark));
        await append.AppendAsync(conn, rows, ct, stages);
        lap = System.Diagnostics.Stopwatch.GetTimestamp();
        await tx.CommitAsync(ct);
        stages?.Lap(StoreStages.Stage.Commit, lap);
        if (metrics is not null) Count(metrics, stored);
        return new Outcome(accepted, duplicates, rejected);
    }

    /// <summary>After the commit: what this transaction stored, by topic, outcome and rejection reason.</summary>
    private static void Count(CorrelatorMetrics metrics, List<(string Topic, string Outcome, string? Reason)> stored)
    {
        foreach (var g in stored.GroupBy(s => s))
        {
            metrics.Stored(g.Key.Topic, g.Key.Outcome, g.Count());
            if (g.Key.Reason is { } reason) metrics.Rejected(g.Key.Topic, reason, g.Count());
        }
    }
}
