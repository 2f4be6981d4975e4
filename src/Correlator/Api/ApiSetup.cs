using System.Text.Json.Serialization;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Scalar.AspNetCore;

namespace Correlator.Api;

public static class ApiSetup
{
    /// <summary>
    /// Pages of 5,000 events, and up to 5,000 dirty views held between writes while rebuilding. The hold bounds a
    /// rebuild's memory by the store's breadth: 10M events peaked at 614 MiB with 5,000 against 1,033 MiB with 20,000, at
    /// the same rate (1M events have 3,722 update views and 5,959 signature days, so there it changes little).
    /// </summary>
    public const int RebuildFlushThreshold = 5_000;

    private static void Pages(JasperFx.Events.Projections.AsyncOptions o)
    {
        o.BatchSize = 5000;
        o.RebuildFlushThreshold = RebuildFlushThreshold;
    }

    /// <summary>The read models the API serves, API-key auth, JSON and OpenAPI.</summary>
    public static IServiceCollection AddCorrelatorApi(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<ApiOptions>(config.GetSection(ApiOptions.Section));
        services.AddApiProjections();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, p => p.RequireRole(ApiRoles.Reader, ApiRoles.Operator))
            .AddPolicy(ApiPolicies.Operate, p => p.RequireRole(ApiRoles.Operator));
        services.AddOpenApi(o => o.AddCorrelatorConventions());
        return services;
    }

    /// <summary>The read models the API serves (also what the offline store rebuilds).</summary>
    public static IServiceCollection AddApiProjections(this IServiceCollection services) => services.ConfigureMarten(opts =>
    {
        // A host's or a service's view is one stream folded on read: always current, no stored copy, nothing to rebuild.
        opts.Projections.Add<HostTimelineProjection>(ProjectionLifecycle.Live);
        opts.Projections.Add<ServiceStatusHistoryProjection>(ProjectionLifecycle.Live);
        // Views across streams are kept by the daemon. Deferred writes while rebuilding: a page otherwise reloads
        // and rewrites the same few documents (signature days, updates) again and again.
        opts.Projections.Add<UpdateImpactProjection>(ProjectionLifecycle.Async, Pages);
        // Smaller pages for crashes: a crash report is ~50 objects once read, and a page of 5000 alive across
        // collections cost more in GC copying than the extra queries (SignatureDay rebuild 5.7 s → 4.7 s, measured warm).
        opts.Projections.Add<SignatureDayProjection>(ProjectionLifecycle.Async, o => { Pages(o); o.BatchSize = 1000; });
        opts.Projections.Add<RejectionListProjection>(ProjectionLifecycle.Async, o => o.BatchSize = 5000);
        opts.Schema.For<SignatureDay>().Index(x => x.Signature);
        opts.Schema.For<SignatureDay>().Index(x => x.Day);
        opts.Schema.For<RejectedMessage>().Index(x => x.ReceivedAt);
    });

    /// <summary>OpenAPI at <c>/openapi/v1.json</c>, its reference page at <c>/scalar</c>, the SRE page at <c>/</c>.</summary>
    public static WebApplication MapCorrelatorApi(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.MapOpenApi();
        app.MapScalarApiReference();
        var page = new EmbeddedFileProvider(typeof(ApiSetup).Assembly, "Correlator.Web");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
        return app;
    }
}
