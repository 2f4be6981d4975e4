namespace Correlator.Tests.Api;

/// <summary>
/// The July 2024 night (small), backtested and served (<see cref="BacktestedHost"/>). Tests that change state act on
/// the Azure storage finding only.
/// </summary>
public sealed class JulyNight() : BacktestedHost("july-2024-small.ndjson")
{
    public const string CrowdStrike = "crowdstrike/falcon-content/C-00000291-00000000-00000032";
    public const string AzureStorage = "microsoft/azure-storage/config-2024-07-18-cus";
    public const string CsAgent = "windows-kernel:0x00000050:csagent.sys";
}
