using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Correlator.Alerts;
using Correlator.Hosting;
using StoreOptions = Correlator.Hosting.StoreOptions;
using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Configuration;
using Weasel.Core;

namespace Correlator.Cli;

/// <summary><c>correlator alerts dead-letters [--json]</c>: webhook deliveries that were given up on, oldest first.</summary>
public static class AlertsCommand
{
    public static Command Create()
    {
        var json = CommonOptions.Json();
        var deadLetters = new Command("dead-letters", "List webhook deliveries that failed for good (ConnectionStrings:Marten, Store:Schema)") { json };
        deadLetters.SetAction((parse, ct) => ListDeadLettersAsync(CliContext.Configuration(), parse.GetValue(json), Console.Out, ct));
        return new Command("alerts", "Alert integrations: Kafka findings topic and webhooks") { deadLetters };
    }

    public static async Task<int> ListDeadLettersAsync(IConfiguration config, bool json, TextWriter output, CancellationToken ct = default)
    {
        var connectionString = config.GetConnectionString(StoreOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync($"ConnectionStrings:{StoreOptions.ConnectionStringName} is not configured: point it at the service's PostgreSQL.");
            return ExitCodes.Configuration;
        }
        var schema = (config.GetSection("Store").Get<StoreOptions>() ?? new StoreOptions()).Schema;
        using var store = DocumentStore.For(opts =>
        {
            opts.Connection(connectionString);
            opts.DatabaseSchemaName = schema;
            opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
            opts.Events.StreamIdentity = StreamIdentity.AsString;
            opts.AutoCreateSchemaObjects = AutoCreate.None;
            opts.Events.AddEventType<WebhookDeliveryFailed>();
        });
        await using var session = store.QuerySession();
        var dead = await WebhookDeadLetters.ListAsync(session, ct);

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { deadLetters = dead }, CliJson.Options));
            return 0;
        }
        if (dead.Count == 0)
        {
            await output.WriteLineAsync("No dead-lettered webhook deliveries.");
            return 0;
        }
        foreach (var d in dead)
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{d.FailedAt:yyyy-MM-dd HH:mm:ss}Z  {d.Subscriber} ({d.Format})  {d.EventType}  {d.EventId}  after {d.Attempts} attempt(s): {d.Reason}"));
        return 0;
    }
}
