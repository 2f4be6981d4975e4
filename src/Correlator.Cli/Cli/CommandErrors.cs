using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Correlator.Cli;

/// <summary>What a failed command says about its exception: one line, in terms the user can act on.</summary>
public static class CommandErrors
{
    public static string Describe(Exception e)
    {
        e = Unwrap(e);
        if (e is PortInUseException) return e.Message;
        if (FindAddressInUse(e) is { } inUse) return PortInUseException.Text(inUse);
        if (e is OperationCanceledException) return "cancelled";
        return FirstLine(e.Message);
    }

    /// <summary>The <see cref="ExitCodes"/> code for what went wrong: interrupted, configuration, input, unreachable, or 1.</summary>
    public static int ExitCode(Exception e)
    {
        e = Unwrap(e);
        if (e is OperationCanceledException) return ExitCodes.Interrupted;
        if (e is QueryFailed q) return q.ExitCode;
        if (e is ConfigurationProblem) return ExitCodes.Configuration;
        if (e is InvalidDataException or System.Text.Json.JsonException) return ExitCodes.BadInput;
        if (e is FileNotFoundException or DirectoryNotFoundException) return ExitCodes.NotFound;
        if (FindAddressInUse(e) is not null) return ExitCodes.Failure;
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is HttpRequestException or SocketException) return ExitCodes.Unavailable;
        return ExitCodes.Failure;
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is not null)
            e = e.InnerException!;
        return e;
    }

    /// <summary>Kestrel's bind failure: "Failed to bind to address http://127.0.0.1:5080: address already in use."</summary>
    private static string? FindAddressInUse(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is AddressInUseException || x is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
                return AddressIn(e.Message) ?? "the configured address";
        return null;
    }

    private static string? AddressIn(string message)
    {
        var start = message.IndexOf("http", StringComparison.Ordinal);
        if (start < 0) return null;
        var end = message.IndexOf(": ", start, StringComparison.Ordinal);
        return end < 0 ? null : message[start..end];
    }

    private static string FirstLine(string message)
    {
        var line = message.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "failed" : line;
    }
}

/// <summary>A listen address whose port another process holds.</summary>
public sealed class PortInUseException(string url) : IOException(Text(url))
{
    public string Url { get; } = url;

    public static string Text(string url) =>
        $"{url} is already in use{PortOf(url)}: stop what listens there or choose another address with --urls";

    private static string PortOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? $" (port {u.Port})" : "";

    /// <summary>
    /// Fails before anything starts (PostgreSQL, the broker, the host) when a listen address is taken, instead of
    /// after. Kestrel would find out too, later; <see cref="CommandErrors"/> says the same then.
    /// </summary>
    public static void ThrowIfTaken(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port == 0) continue;
            var address = uri.Host switch
            {
                "localhost" => IPAddress.Loopback,
                "*" or "+" or "0.0.0.0" => IPAddress.Any,
                var h => IPAddress.TryParse(h.Trim('[', ']'), out var ip) ? ip : null,
            };
            if (address is null) continue;
            var probe = new TcpListener(address, uri.Port);
            try { probe.Start(); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse) { throw new PortInUseException(url); }
            catch (SocketException) { /* not ours to judge (permissions, no such address): Kestrel reports it */ }
            finally { probe.Stop(); }
        }
    }
}
