namespace Correlator.Ingestion;

/// <summary>Machine reason codes for a rejected message (DLQ header, <c>MessageRejected.Reason</c> prefix).</summary>
public static class RejectionCodes
{
    /// <summary>The value is larger than the configured limit (default 1 MiB).</summary>
    public const string TooLarge = "too-large";

    /// <summary>The value is not UTF-8 JSON (or repeats a property name).</summary>
    public const string NotJson = "not-json";

    /// <summary>The value is JSON but not an object.</summary>
    public const string NotObject = "not-object";

    /// <summary>The value breaks its topic's schema.</summary>
    public const string Schema = "schema";

    /// <summary>An <c>update-manifests</c> message whose <c>type</c> is not release, recall or installation.</summary>
    public const string UnknownType = "unknown-type";

    /// <summary>A timestamp that is not RFC 3339 with an offset, or not a real date and time.</summary>
    public const string BadTimestamp = "bad-timestamp";

    /// <summary>A string field holds U+0000, which the event store cannot hold (refused before the transaction).</summary>
    public const string Unstorable = "unstorable";

    /// <summary>The message came from a topic that carries none of the contract's kinds.</summary>
    public const string UnknownTopic = "unknown-topic";

    /// <summary>A valid message the event store refused for good (found by storing its batch one record at a time).</summary>
    public const string StoreError = "store-error";

    /// <summary>Kafka could not hand the record over (for example a key it could not read).</summary>
    public const string Unreadable = "unreadable";

    /// <summary>The validator itself failed on the message.</summary>
    public const string InternalError = "internal-error";
}
