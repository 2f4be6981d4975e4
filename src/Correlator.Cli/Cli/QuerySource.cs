using System.Net;
using System.Net.Http.Json;
using Correlator.Api;
using Correlator.Findings;
using Correlator.Hosting;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Correlator.Cli;

/// <summary>
/// Where the query commands read: a running service over HTTP (<c>--url</c>, default http://127.0.0.1:5080), or,
/// when no URL is given and <c>ConnectionStrings:Marten</c> is configured, the store itself through the same queries.
/// </summary>
public sealed class QuerySource : IAsyncDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private readonly HttpClient? _http;
    private readonly IHost? _store;
    private readonly Rollouts.GateSettings _settings = Rollouts.GateSettings.Default;

    private QuerySource(HttpClient? http, IHost? store)
    {
        _http = http;
        _store = store;
    }

    public string Describe => _http is not null ? _http.BaseAddress!.ToString() : "the configured store";

    public static QuerySource Open(string? url, string? apiKey, IConfiguration config)
    {
        if (url is null && !string.IsNullOrWhiteSpace(config.GetConnectionString(Hosting.StoreOptions.ConnectionStringName)))
        {
            // Only the store, as the service configures it: reading needs no broker, no daemon, no listener.
            return new QuerySource(null, CorrelatorHost.BuildStoreOnly(config.AsEnumerable()));
        }
        var http = new HttpClient { BaseAddress = new Uri(url ?? DefaultUrl), Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(apiKey)) http.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, apiKey);
        return new QuerySource(http, null);
    }

    public async Task<Paged<FindingSummary>> FindingsAsync(FindingsFilter filter, string query, CancellationToken ct) =>
        _http is not null
            ? (await GetAsync<Paged<FindingSummary>>("/api/findings" + query, ct))!
            : await QueryAsync(s => GetFindings.QueryAsync(s, filter, ct));

    public async Task<FindingView?> FindingAsync(string id, CancellationToken ct) =>
        _http is not null
            ? await GetAsync<FindingView>($"/api/findings/{Uri.EscapeDataString(id)}", ct)
            : await QueryAsync(s => GetFinding.LoadAsync(id, s, ct));

    public async Task<UpdateReport?> UpdateAsync(string updateId, CancellationToken ct) =>
        _http is not null
            ? await GetAsync<UpdateReport>($"/api/updates/{Uri.EscapeDataString(updateId)}", ct)
            : await QueryAsync(async s => await GetUpdate.LoadAsync(updateId, s, ct) is { } u ? await GetUpdate.Get(u, s, ct) : null);

    public async Task<Rollouts.GateReport?> GateAsync(string updateId, string? asOf, CancellationToken ct) =>
        _http is not null
            ? await GetAsync<Rollouts.GateReport>($"/api/rollouts/{Uri.EscapeDataString(updateId)}/gate{(asOf is null ? "" : "?asOf=" + Uri.EscapeDataString(asOf))}", ct)
            : await QueryAsync(async s =>
            {
                if (await GetUpdate.LoadAsync(updateId, s, ct) is not { } u) return null;
                var gate = await Rollouts.RolloutStore.GateAsync(s, u, _settings, ct);
                return gate.Report(Rollouts.GetRolloutGate.AsOf(gate, asOf));
            });

    public async Task<Rollouts.BlastRadiusReport?> BlastRadiusAsync(string findingId, CancellationToken ct) =>
        _http is not null
            ? await GetAsync<Rollouts.BlastRadiusReport>($"/api/findings/{Uri.EscapeDataString(findingId)}/blast-radius", ct)
            : await QueryAsync(async s => await GetFinding.LoadAsync(findingId, s, ct) is { } f ? await Rollouts.GetBlastRadius.ForAsync(f, s, _settings, ct) : null);

    public async Task<HostReport?> HostAsync(string hostId, CancellationToken ct) =>
        _http is not null
            ? await GetAsync<HostReport>($"/api/hosts/{Uri.EscapeDataString(hostId)}", ct)
            : await QueryAsync(async s => await GetHost.LoadAsync(hostId, s, ct) is { } h ? HostReport.From(h) : null);

    private async Task<T> QueryAsync<T>(Func<IQuerySession, Task<T>> query)
    {
        await using var session = _store!.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await query(session);
    }

    private async Task<T?> GetAsync<T>(string path, CancellationToken ct) where T : class
    {
        HttpResponseMessage response;
        try { response = await _http!.GetAsync(path, ct); }
        catch (HttpRequestException e)
        {
            throw new QueryFailed($"no Correlator answers at {_http!.BaseAddress} ({e.Message}); start one with `./correlator serve` or pass --url", ExitCodes.Unavailable);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound) return null;
            if (!response.IsSuccessStatusCode)
            {
                var problem = await ReadProblemAsync(response, ct);
                throw new QueryFailed($"{(int)response.StatusCode} {problem?.Title ?? response.ReasonPhrase}: {problem?.Detail}", ExitCodeFor(response.StatusCode));
            }
            return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, ct);
        }
    }

    /// <summary>A refused key is 77, a refused query (our options) 64, a failing service 69.</summary>
    public static int ExitCodeFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.NotAuthorized,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => ExitCodes.Usage,
        >= HttpStatusCode.InternalServerError => ExitCodes.Unavailable,
        _ => ExitCodes.Failure,
    };

    private static async Task<ProblemDetails?> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try { return await response.Content.ReadFromJsonAsync<ProblemDetails>(ApiJson.Options, ct); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_store is IAsyncDisposable store) await store.DisposeAsync(); else _store?.Dispose();
    }
}

/// <summary>A query the service refused or could not answer; <see cref="ExitCode"/> is what the command returns.</summary>
public sealed class QueryFailed(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
