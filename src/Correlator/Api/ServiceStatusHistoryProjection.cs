using Correlator.Ingestion.Events;
using Marten.Events.Aggregation;

namespace Correlator.Api;

public partial class ServiceStatusHistoryProjection : SingleStreamProjection<ServiceStatusHistory, string>
{
    public void Apply(ServiceStatusObserved e, ServiceStatusHistory view)
    {
        view.Service = e.Service;
        view.Region = e.Region ?? "global";
        view.Observations.Add(new StatusObservation(e.ObservedAt, e.Status, e.Component, e.Source, e.Message));
    }
}
