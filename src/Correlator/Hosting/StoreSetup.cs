using Correlator.Ingestion;
using Correlator.Ingestion.Events;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Weasel.Core;

namespace Correlator.Hosting;

public static class StoreSetup
{
    /// <summary>The Marten event store: the source of truth. Everything else in it is derived and can be rebuilt.</summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddCorrelatorStore(this IServiceCollection services, IConfiguration config)
    {
        var connectionString = config.GetConnectionString(StoreOptions.ConnectionStringName)
            ?? throw new Correlator.Cli.ConfigurationProblem($"ConnectionStrings:{StoreOptions.ConnectionStringName} is not configured");
        var store = config.GetSection("Store").Get<StoreOptions>() ?? new StoreOptions();
        var marten = services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = store.Schema;
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                opts.Events.StreamIdentity = StreamIdentity.AsString;
                opts.Events.AppendMode = EventAppendMode.Quick;
                // (type, seq_id): every projection reads a subset of the types (findings are 1% of the events, rejections
                // fewer); without it each page scans past everything else. Costs one more index entry per append.
                opts.Events.EnableEventTypeIndex = true;
                // Kept by its own storage feature (below); the event tables' migration would otherwise drop it as unknown.
                opts.Events.IgnoreIndex(Replay.SparseEventsIndex.Name);
                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                opts.Events.AddEventTypes([.. InputEvents.Types, typeof(MessageRejected), typeof(EventTimeSkewFlagged), typeof(IngestWatermarkAdvanced)]);
                var bodies = new EventBodies();
                foreach (var input in InputEvents.Types) UseBinaryBodies.MakeGenericMethod(input).Invoke(null, [opts.Events, bodies]);
                opts.Storage.ExtendedSchemaObjects.Add(IngestReceipts.Table(store.Schema));
                opts.Storage.ExtendedSchemaObjects.Add(PartitionClocks.Table(store.Schema));
                opts.Storage.Add(new Replay.SparseEventsIndex.Feature(opts));
            })
            .UseLightweightSessions()
            .AddAsyncDaemon(config.GetValue("Store:Daemon", DaemonMode.Solo))
            .ApplyAllDatabaseChangesOnStartup();
        CorrelatorDocumentStore.Register(services);
        return marten;
    }

    private static readonly System.Reflection.MethodInfo UseBinaryBodies = typeof(StoreSetup).GetMethod(nameof(UseBinary), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static void UseBinary<T>(Marten.Events.EventGraph events, EventBodies bodies) where T : class => events.UseBinarySerializer<T>(bodies);
}
