namespace Correlator.Tests.Support;

/// <summary>Tests against the shared PostgreSQL and broker. They run one after another to keep 2 cores calm.</summary>
[CollectionDefinition(Name)]
public sealed class IntegrationCollection
{
    public const string Name = "integration";
}
