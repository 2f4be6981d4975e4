using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Correlator.Api;

/// <summary>
/// Headers every response carries. The SRE page loads only its own files (scripts, styles, uPlot) and talks only to
/// this origin; uPlot sets inline styles, hence <c>'unsafe-inline'</c> for styles alone. The Scalar reference page
/// brings its own inline script, so it gets every header but the CSP.
/// </summary>
public static class SecurityHeaders
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (!context.Request.Path.StartsWithSegments("/scalar")) headers.ContentSecurityPolicy = Policy;
            return next(context);
        });
        return app;
    }
}
