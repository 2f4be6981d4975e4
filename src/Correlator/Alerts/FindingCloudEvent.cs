using System.Net.Mime;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Correlator.Correlation;
using Correlator.Findings;

namespace Correlator.Alerts;

/// <summary>
/// One finding transition as a CloudEvents 1.0 structured-mode JSON message, ready for the <c>correlation-findings</c>
/// topic (key <see cref="FindingId"/>) or a <c>cloudevents</c> webhook. <see cref="Body"/> is built once, when the
/// transition is relayed, so the outbox holds the exact bytes consumers get.
/// </summary>
public sealed record FindingCloudEvent(string FindingId, string EventId, string Type, byte[] Body)
{
    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    private static readonly JsonEventFormatter Formatter = new(FindingPayload.Json, default);

    public static FindingCloudEvent From(IFindingTransition transition, string source) =>
        Build(FindingEventType.IdOf(transition), FindingEventType.Of(transition), transition.At, transition.Finding, source);

    public static FindingCloudEvent Build(string id, string type, DateTimeOffset time, Finding finding, string source)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = id,
            Source = new Uri(source, UriKind.RelativeOrAbsolute),
            Type = type,
            Time = time,
            Subject = finding.FindingId,
            DataContentType = MediaTypeNames.Application.Json,
            Data = FindingPayload.ToJson(finding),
        };
        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out _);
        return new FindingCloudEvent(finding.FindingId, id, type, body.ToArray());
    }
}
