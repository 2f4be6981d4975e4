namespace Correlator.Ingestion;

/// <summary>An accepted message whose event time lies further in the future than the allowed skew past its broker timestamp.</summary>
public sealed record EventTimeSkewFlagged(string MessageId, string Topic, DateTimeOffset EventTime, DateTimeOffset BrokerTime, TimeSpan Skew);
