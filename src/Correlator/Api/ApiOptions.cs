namespace Correlator.Api;

/// <summary>The <c>Api</c> configuration section: who may call the API.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Everyone is an operator, no key needed. Only for a loopback demo.</summary>
    public bool OpenAccess { get; set; }
    public List<ApiKeyEntry> Keys { get; set; } = [];
}

/// <summary>A key is stored as the lower-case hex SHA-256 of its UTF-8 bytes (<c>echo -n KEY | sha256sum</c>), never in clear.</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public string Role { get; set; } = ApiRoles.Reader;
}

public static class ApiRoles
{
    public const string Reader = "reader";
    public const string Operator = "operator";
}

/// <summary>Policies on endpoints: queries need a reader (or operator), SRE actions an operator.</summary>
public static class ApiPolicies
{
    public const string Read = "read";
    public const string Operate = "operate";
}
