using System.Reflection;
using System.Runtime.InteropServices;

namespace Correlator.Embedded;

/// <summary>
/// P/Invoke surface of librdkafka's mock cluster. The library is resolved to the same file Confluent.Kafka ships;
/// the default build needs libsasl2.so.3 (absent on Debian 12), so we fall back to the bundled centos8 build,
/// as Confluent.Kafka itself does.
/// </summary>
internal static partial class NativeRdKafka
{
    private const string Lib = "librdkafka";

    static NativeRdKafka() => NativeLibrary.SetDllImportResolver(typeof(NativeRdKafka).Assembly, Resolve);

    /// <summary>Forces the resolver to be installed before the first call.</summary>
    internal static void EnsureLoaded() => _ = Handle.Value;

    private static readonly Lazy<IntPtr> Handle = new(Load);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Lib ? Handle.Value : IntPtr.Zero;

    private static IntPtr Load()
    {
        var tried = new List<string>();
        foreach (var candidate in Candidates())
        {
            tried.Add(candidate);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        if (NativeLibrary.TryLoad("librdkafka.so.1", out var system)) return system;
        throw new DllNotFoundException(
            "Could not load librdkafka for the embedded Kafka broker. Tried: " + string.Join(", ", tried) +
            ". It ships with the Confluent.Kafka package (librdkafka.redist); run `dotnet restore`.");
    }

    private static IEnumerable<string> Candidates()
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        foreach (var root in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(Confluent.Kafka.Library).Assembly.Location) ?? "" })
        {
            var native = Path.Combine(root, "runtimes", rid, "native");
            yield return Path.Combine(native, "librdkafka.so");
            yield return Path.Combine(native, "centos8-librdkafka.so");
            yield return Path.Combine(native, "alpine-librdkafka.so");
        }
    }

    [LibraryImport(Lib)] internal static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte[] errstr, nuint errstrSize);

    [LibraryImport(Lib)] internal static partial IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, nuint errstrSize);
    [LibraryImport(Lib)] internal static partial void rd_kafka_destroy(IntPtr rk);
    [LibraryImport(Lib)] internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr rk, int brokerCount);
    [LibraryImport(Lib)] internal static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);
    [LibraryImport(Lib)] internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Lib)] internal static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);
    [LibraryImport(Lib)] internal static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

    [LibraryImport(Lib)]
    internal static partial void rd_kafka_mock_push_request_errors_array(IntPtr cluster, short apiKey, nuint count, int[] errors);

    [LibraryImport(Lib)] internal static partial IntPtr rd_kafka_err2str(int err);
}
