using System.Reflection;
using Json.Schema;

namespace Correlator.Ingestion;

/// <summary>
/// The wire contract's JSON Schemas (repo <c>schemas/</c>), embedded in this assembly so they are found from any
/// working directory.
/// </summary>
public static class ContractSchemas
{
    public const string CrashDumps = "crash-dumps.schema.json";
    public const string ServiceStatus = "service-status.schema.json";
    public const string UpdateManifests = "update-manifests.schema.json";
    public const string CorrelationFindings = "correlation-findings.schema.json";

    private const string Prefix = "Correlator.Schemas.";

    /// <summary>File names of the embedded schemas, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(ContractSchemas).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The text of one schema file, e.g. <see cref="CrashDumps"/>.</summary>
    public static string Text(string name)
    {
        using var stream = typeof(ContractSchemas).Assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new ArgumentException($"no embedded schema '{name}'; known: {string.Join(", ", Names)}", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// A new <see cref="JsonSchema"/> for one file. JsonSchema.Net caches per-options state inside a schema, so give
    /// each thread and each <see cref="EvaluationOptions"/> instance its own schema.
    /// </summary>
    public static JsonSchema Build(string name) => JsonSchema.FromText(Text(name));
}
