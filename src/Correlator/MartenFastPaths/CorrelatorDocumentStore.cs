using System.Reflection;
using JasperFx.CommandLine;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Correlator.Hosting;

/// <summary>
/// Marten's document store, whose async daemon (the service's and <c>rebuild</c>'s) reads its pages through
/// <see cref="EventPageLoader"/>. Marten offers no setting for the loader: the daemon asks the store for one through
/// <see cref="IEventStore{TOperations,TQuerySession}"/>, so this class implements that interface again and answers
/// only that question itself. Everything else is Marten's.
/// </summary>
public sealed class CorrelatorDocumentStore(Marten.StoreOptions options) : DocumentStore(options), IEventStore<IDocumentOperations, IQuerySession>
{
    // C# has no call to a base class's explicit interface implementation; the interface map finds Marten's.
    private static readonly MethodInfo MartenLoader = typeof(DocumentStore)
        .GetInterfaceMap(typeof(IEventStore<IDocumentOperations, IQuerySession>)).TargetMethods
        .Single(m => m.Name.EndsWith(".BuildEventLoader", StringComparison.Ordinal) && m.GetParameters().Length == 5);

    IEventLoader IEventStore<IDocumentOperations, IQuerySession>.BuildEventLoader(IEventDatabase database, ILogger logger,
        EventFilterable filtering, AsyncOptions shardOptions) => Loader(database, logger, filtering, shardOptions, null);

    IEventLoader IEventStore<IDocumentOperations, IQuerySession>.BuildEventLoader(IEventDatabase database, ILogger logger,
        EventFilterable filtering, AsyncOptions shardOptions, ShardName shardName) => Loader(database, logger, filtering, shardOptions, shardName);

    private IEventLoader Loader(IEventDatabase database, ILogger logger, EventFilterable filtering, AsyncOptions shardOptions, ShardName? shardName) =>
        EventPageLoader.For(this, database, filtering, shardOptions, shardName, MartenEventLoader(database, logger, filtering, shardOptions, shardName), logger);

    /// <summary>The loader Marten's own store would build for this shard.</summary>
    internal IEventLoader MartenEventLoader(IEventDatabase database, ILogger logger, EventFilterable filtering, AsyncOptions shardOptions, ShardName? shardName) =>
        (IEventLoader)MartenLoader.Invoke(this, [database, logger, filtering, shardOptions, shardName])!;

    /// <summary>
    /// Registers this store as the <see cref="IDocumentStore"/>, in place of the one <c>AddMarten</c> registers, after the
    /// same preparation of its options: the logger factory for Npgsql and Marten's command logger, both internal to
    /// Marten and set here by name (a test pins them).
    /// </summary>
    internal static void Register(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<IDocumentStore>(s =>
        {
            var options = s.GetRequiredService<Marten.StoreOptions>();
            if (JasperFxEnvironment.RunQuiet) options.DisableNpgsqlLogging = true;
            var logFactory = typeof(Marten.StoreOptions).GetProperty("LogFactory", BindingFlags.Instance | BindingFlags.NonPublic)
                ?? throw new InvalidOperationException("Marten's StoreOptions.LogFactory is gone: CorrelatorDocumentStore.Register follows AddMarten's registration and needs updating");
            logFactory.SetValue(options, s.GetService<ILoggerFactory>());
            if (options.Logger().GetType().Name == "NulloMartenLogger")
            {
                var logger = s.GetService<ILogger<IDocumentStore>>() ?? NullLogger<IDocumentStore>.Instance;
                var type = typeof(DocumentStore).Assembly.GetType("Marten.DefaultMartenLogger", throwOnError: true)!;
                options.Logger((IMartenLogger)Activator.CreateInstance(type, logger)!);
            }
            return new CorrelatorDocumentStore(options);
        }));
}
