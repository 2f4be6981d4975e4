using Marten;

namespace Correlator.Ingestion;

/// <summary>Stores one batch in one transaction: receipts first, then only the events whose receipts were new.</summary>
public sealed class IngestWriter(IDocumentStore store)
{
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;

    public sealed record Outcome(int Accepted, int Duplicates, int Rejected);

    public async Task<Outcome> WriteAsync(IngestBatch batch, DateTimeOffset now, CancellationToken ct)
    {
        if (batch.Accepted.Count == 0 && batch.Rejected.Count == 0 && batch.Watermark is null) return new Outcome(0, 0, 0);
        await using var session = store.LightweightSession();
        await session.BeginTransactionAsync(ct);

        var keys = batch.Accepted.Select(a => (a.Topic, a.MessageId))
            .Concat(batch.Rejected.Select(r => (IngestBatch.RejectionReceiptTopic(r.Record.Topic), r.ReceiptId)))
            .Distinct()
            .ToList();
        var claimed = await IngestReceipts.ClaimAsync(session.Connection!, _schema, keys, now, ct);

        int accepted = 0, duplicates = 0, rejected = 0;
        foreach (var a in batch.Accepted)
        {
            // Remove as we go: a second copy of the same id inside this batch is a duplicate too.
            if (!claimed.Remove((a.Topic, a.MessageId))) { duplicates++; continue; }
            var stream = StreamKeys.For(a.Event);
            session.Events.Append(stream, a.Event);
            if (a.Skew is not null) session.Events.Append(stream, a.Skew);
            accepted++;
        }
        foreach (var r in batch.Rejected)
        {
            if (!claimed.Remove((IngestBatch.RejectionReceiptTopic(r.Record.Topic), r.ReceiptId))) continue;
            session.Events.Append(StreamKeys.For(r.Event), r.Event);
            rejected++;
        }
        if (batch.Watermark is not null) session.Events.Append(StreamKeys.Watermark, batch.Watermark);
        await session.SaveChangesAsync(ct);
        return new Outcome(accepted, duplicates, rejected);
    }
}
