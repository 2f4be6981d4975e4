using Correlator.Ingestion.Events;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Correlator.Api;

public partial class RejectionListProjection : EventProjection
{
    public void Project(IEvent<MessageRejected> e, IDocumentOperations ops)
    {
        var r = e.Data;
        ops.Store(new RejectedMessage
        {
            Id = $"{r.Topic}/{r.Partition}/{r.Offset}",
            Topic = r.Topic,
            Partition = r.Partition,
            Offset = r.Offset,
            Key = r.Key,
            Reason = r.Reason,
            ReceivedAt = r.ReceivedAt,
            MessageId = r.MessageId,
            Bytes = r.Value.Length / 4 * 3 - r.Value.Count(c => c == '='),
        });
    }
}
