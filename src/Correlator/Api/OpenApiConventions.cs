using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Correlator.Api;

/// <summary>
/// What the served OpenAPI document says beyond the routes: who the API is, how to authenticate (the three ways
/// <see cref="ApiKeyAuthentication"/> accepts a key), 401/403 on every operation that needs a key, a summary a person
/// wrote (<c>[EndpointSummary]</c> beside each route; Wolverine's generated <c>GET_api_…</c> names are dropped) and
/// a description per tag. Redocly's recommended rules find nothing in it (tests/…/ApiAuthTests.OpenApi.cs).
/// </summary>
public static class OpenApiConventions
{
    public const string ApiKeyScheme = "apiKey", BearerScheme = "bearer", BasicScheme = "basic";

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Findings"] = "Updates suspected of causing failures: the evidence, the history, and the on-call's confirm, dismiss and resolve.",
        ["Updates"] = "Updates as their manifests describe them: release, recall, exposure and the failures after them.",
        ["Rollouts"] = "The rollout gate for deployment pipelines (Argo Rollouts, Flagger): go, hold or stop before each wave.",
        ["Hosts"] = "One host's installations, crashes and status, in event time.",
        ["Signatures"] = "Crash signatures: failures per day and the hosts that had them.",
        ["Services"] = "Service status per region, from the status feeds.",
        ["Rejections"] = "Input messages that failed validation, with the reason and the exact bytes.",
        ["Health"] = "How ingestion is doing: its state, lag and hints about what producers send.",
        ["Alerts"] = "Outbound alerting: webhook deliveries that were given up on.",
    };

    public static OpenApiOptions AddCorrelatorConventions(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            Describe(operation, context.Description.ActionDescriptor.EndpointMetadata, context.Document);
            return Task.CompletedTask;
        });
        return options;
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Correlator API",
            Version = "1.0",
            Description = "Which update caused which failures, with the evidence. Every operation needs an API key " +
                          "(reader for queries, operator for confirm, dismiss and resolve) unless the service runs with Api:OpenAccess.",
        };
        // The server is the address the document was fetched from; "http://host:port/" trips no-server-trailing-slash.
        foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = ApiKeyAuthentication.Header,
            Description = "An API key (the service stores its SHA-256 under Api:Keys).",
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "The same API key as `Authorization: Bearer KEY`.",
        };
        document.Components.SecuritySchemes[BasicScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "basic",
            Description = "The API key as the password (the user name is ignored), for clients that only take credentials in a URL, such as Flagger.",
        };

        foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
            if (tag.Name is { } name && TagDescriptions.TryGetValue(name, out var description)) tag.Description = description;
    }

    private static void Describe(OpenApiOperation operation, IList<object> metadata, OpenApiDocument? document)
    {
        var summary = metadata.OfType<EndpointSummaryAttribute>().LastOrDefault()?.Summary;
        operation.Summary = summary;
        var description = metadata.OfType<EndpointDescriptionAttribute>().LastOrDefault()?.Description;
        operation.Description = description;

        if (metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any()) return;
        operation.Security = [Requirement(ApiKeyScheme, document), Requirement(BearerScheme, document), Requirement(BasicScheme, document)];
        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No API key, or one the service does not know." });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The key's role may not do this (queries need reader or operator, changes operator)." });
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
