using System.Text.Json;
using System.Text.Json.Serialization;

namespace Correlator.Cli;

public static class CliJson
{
    /// <summary>camelCase, as the contract names fields.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
