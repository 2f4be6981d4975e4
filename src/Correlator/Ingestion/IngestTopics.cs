namespace Correlator.Ingestion;

/// <summary>The three kinds of input message the contract defines.</summary>
public enum MessageKind
{
    Crash,
    Status,
    Manifest,
}

/// <summary>Which topic carries which kind of message; defaults are the contract's names.</summary>
public sealed record IngestTopics(
    string Crash = IngestTopics.CrashDumps,
    string Status = IngestTopics.ServiceStatus,
    string Manifest = IngestTopics.UpdateManifests)
{
    public const string CrashDumps = "crash-dumps";
    public const string ServiceStatus = "service-status";
    public const string UpdateManifests = "update-manifests";

    public static IngestTopics Default { get; } = new();

    public string NameOf(MessageKind kind) => kind switch
    {
        MessageKind.Crash => Crash,
        MessageKind.Status => Status,
        MessageKind.Manifest => Manifest,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public MessageKind? KindOf(string topic) =>
        string.Equals(topic, Crash, StringComparison.Ordinal) ? MessageKind.Crash
        : string.Equals(topic, Status, StringComparison.Ordinal) ? MessageKind.Status
        : string.Equals(topic, Manifest, StringComparison.Ordinal) ? MessageKind.Manifest
        : null;
}
