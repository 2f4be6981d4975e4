using System.CommandLine;
using Correlator.Api;
using Correlator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Correlator.Cli;

public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default: the `urls` setting, else {DefaultUrls})" };
        var data = new Option<string>("--data") { Description = "PostgreSQL data directory kept between runs (embedded mode)", DefaultValueFactory = _ => Path.Combine(".correlator", "pg") };
        var command = new Command("serve", "Run the service: ingestion, correlation, the API and the page, on configured or embedded PostgreSQL and Kafka") { urls, data };
        command.SetAction(async (parse, ct) =>
        {
            var config = CliContext.Configuration();
            var listen = parse.GetValue(urls) ?? config["urls"] ?? DefaultUrls;
            PortInUseException.ThrowIfTaken(listen);
            using var logs = CliContext.Logging();
            var log = logs.CreateLogger("serve");
            await using var infra = await Infrastructure.StartAsync(config, log, parse.GetValue(data), durable: true, ct);
            var settings = config.AsEnumerable().Concat(infra.AsConfiguration()).Append(new("urls", listen));
            await using var app = CorrelatorHost.Build(settings);
            var api = config.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new ApiOptions();
            if (!api.OpenAccess && api.Keys.Count == 0)
                log.LogWarning("No API keys configured (Api:Keys) and Api:OpenAccess is off: every API call will answer 401");
            await app.StartAsync(ct);
            log.LogInformation("Correlator on {Urls}: page /, API /api, reference /scalar", listen);
            try { await app.WaitForShutdownAsync(ct); } catch (OperationCanceledException) { }
            await app.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
