namespace Correlator.Tests.Api;

/// <summary>
/// <c>config-rollout-regions</c>, backtested and served (<see cref="BacktestedHost"/>): an edge-gateway configuration
/// rolled out westeurope, eastus, centralus degraded checkout-api and payments-api in each, with no crash at all. Read only.
/// </summary>
public sealed class ConfigRolloutDay() : BacktestedHost("config-rollout-regions.ndjson")
{
    public const string Gateway = "internal/edge-gateway/config-2024-09-03";
    public static readonly string[] WaveOrder = ["westeurope", "eastus", "centralus"];
}
