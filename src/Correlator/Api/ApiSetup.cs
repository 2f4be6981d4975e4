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
    /// <summary>The read models the API serves, API-key auth, JSON and OpenAPI.</summary>
    public static IServiceCollection AddCorrelatorApi(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<ApiOptions>(config.GetSection(ApiOptions.Section));
        services.ConfigureMarten(opts =>
        {
            opts.Projections.Add<HostTimelineProjection>(ProjectionLifecycle.Async);
            opts.Projections.Add<UpdateImpactProjection>(ProjectionLifecycle.Async);
            opts.Projections.Add<CrashMinuteProjection>(ProjectionLifecycle.Async);
            opts.Projections.Add<SignatureTimelineProjection>(ProjectionLifecycle.Async);
            opts.Projections.Add<ServiceStatusHistoryProjection>(ProjectionLifecycle.Async);
            opts.Projections.Add<RejectionListProjection>(ProjectionLifecycle.Async);
            opts.Schema.For<CrashMinute>().Index(x => x.Minute);
            opts.Schema.For<RejectedMessage>().Index(x => x.ReceivedAt);
        });
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Read, p => p.RequireRole(ApiRoles.Reader, ApiRoles.Operator))
            .AddPolicy(ApiPolicies.Operate, p => p.RequireRole(ApiRoles.Operator));
        services.AddOpenApi();
        return services;
    }

    /// <summary>OpenAPI at <c>/openapi/v1.json</c>, its reference page at <c>/scalar</c>, the SRE page at <c>/</c>.</summary>
    public static WebApplication MapCorrelatorApi(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference();
        var page = new EmbeddedFileProvider(typeof(ApiSetup).Assembly, "Correlator.Web");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = page });
        return app;
    }
}
