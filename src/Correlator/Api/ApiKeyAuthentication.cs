using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Correlator.Api;

/// <summary>
/// Authenticates <c>X-Api-Key: KEY</c> or <c>Authorization: Bearer KEY</c> against the SHA-256 hashes in
/// <see cref="ApiOptions.Keys"/>, or the password of <c>Authorization: Basic</c> (user name ignored) for clients that
/// can only put credentials in a URL's user info, as Flagger's webhooks do. With <see cref="ApiOptions.OpenAccess"/> a request without a key is an operator.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<ApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
            return Task.FromResult(api.Value.OpenAccess ? Success("open-access", ApiRoles.Operator) : AuthenticateResult.NoResult());
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var key in api.Value.Keys)
            if (Matches(hash, key.Sha256)) return Task.FromResult(Success(key.Name, key.Role));
        return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status401Unauthorized, "API key required", $"Send a key in the {Header} header or as Authorization: Bearer.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem(StatusCodes.Status403Forbidden, "Forbidden", "This action needs an operator key.");

    public static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string? Presented(HttpRequest request)
    {
        if (request.Headers.TryGetValue(Header, out var key) && !string.IsNullOrWhiteSpace(key)) return key.ToString().Trim();
        var auth = request.Headers.Authorization.ToString();
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth[7..].Trim();
        return auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? BasicPassword(auth[6..].Trim()) : null;
    }

    private static string? BasicPassword(string encoded)
    {
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = decoded.IndexOf(':');
            return colon >= 0 && colon < decoded.Length - 1 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException) { return null; }
    }

    private static bool Matches(byte[] hash, string configuredHex)
    {
        byte[] configured;
        try { configured = Convert.FromHexString(configuredHex.Trim()); } catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(hash, configured);
    }

    private AuthenticateResult Success(string name, string role)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private Task Problem(int status, string title, string detail)
    {
        Response.StatusCode = status;
        return Response.WriteAsJsonAsync(new ProblemDetails { Status = status, Title = title, Detail = detail }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
