using System.Collections.Concurrent;
using Correlator.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Correlator.Tests.Alerts;

/// <summary>
/// A real HTTP receiver on loopback (Kestrel, port 0). It records every request, checks its signature with
/// <see cref="WebhookSignature.Verify"/> (or the StandardWebhooks package's verifier for a standard one), and answers from a per-(path, finding) script: statuses, 429 with
/// <c>Retry-After</c>, a hang (a timeout for the sender), or a gate the test opens; 200 when the script is empty.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "whsec_test_5b1f";
    /// <summary>Standard Webhooks secrets are base64 after the prefix.</summary>
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Path, string FindingId), ConcurrentQueue<Reply>> _scripts = new();
    private readonly List<Received> _received = [];
    private readonly object _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BaseUrl { get; }

    public sealed record Received(string Path, string FindingId, string EventId, int Attempt, string ContentType, byte[] Body,
        bool SignatureValid, bool Signed, int AnsweredWith, DateTimeOffset At);

    public abstract record Reply;
    public sealed record Status(int Code, int? RetryAfterSeconds = null) : Reply;
    public sealed record Hang : Reply;
    public sealed record Gate(TaskCompletionSource Open, TaskCompletionSource Arrived) : Reply;

    private WebhookReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/{**path}", (HttpContext ctx) => receiver!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new WebhookReceiver(app, address);
        return receiver;
    }

    public string Url(string path) => $"{BaseUrl}/{path.TrimStart('/')}";

    public void Script(string path, string findingId, params Reply[] replies)
    {
        var queue = _scripts.GetOrAdd(("/" + path.TrimStart('/'), findingId), _ => new ConcurrentQueue<Reply>());
        foreach (var reply in replies) queue.Enqueue(reply);
    }

    public IReadOnlyList<Received> All(string path)
    {
        lock (_lock) return _received.Where(r => r.Path == "/" + path.TrimStart('/')).ToList();
    }

    public IReadOnlyList<Received> For(string path, string findingId)
    {
        lock (_lock) return _received.Where(r => r.Path == "/" + path.TrimStart('/') && r.FindingId == findingId).ToList();
    }

    /// <summary>Waits (on each new request, not a poll) until <paramref name="done"/> holds for the requests so far.</summary>
    public async Task<IReadOnlyList<Received>> WaitAsync(string path, string findingId, Func<IReadOnlyList<Received>, bool> done, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_lock) changed = _changed.Task;
            var now = For(path, findingId);
            if (done(now)) return now;
            try { await changed.WaitAsync(cts.Token); }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{path} for {findingId}: condition not met; received {now.Count}: " +
                                           string.Join(", ", now.Select(r => $"{r.EventId}#{r.Attempt}->{r.AnsweredWith}")));
            }
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var eventId = ctx.Request.Headers[WebhookRequest.EventIdHeader].ToString();
        var findingId = eventId.Split('/')[0];
        var header = ctx.Request.Headers[WebhookSignature.Header].ToString();
        var valid = WebhookSignature.Verify(Secret, header, body, DateTimeOffset.UtcNow, WebhookSignature.DefaultWindow);
        if (ctx.Request.Headers.ContainsKey(WebhookRequest.StandardHeaders.Signature))
        {
            // Standard Webhooks: checked by the StandardWebhooks package's own verifier, as a receiver on it would.
            header = ctx.Request.Headers[WebhookRequest.StandardHeaders.Signature].ToString();
            try { new StandardWebhooks.StandardWebhook(StandardSecret).Verify(System.Text.Encoding.UTF8.GetString(body), ctx.Request.Headers); valid = true; }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException) { valid = false; }
        }
        var attempt = int.TryParse(ctx.Request.Headers[WebhookRequest.AttemptHeader], out var a) ? a : 0;
        var path = ctx.Request.Path.Value!;

        var reply = _scripts.TryGetValue((path, findingId), out var q) && q.TryDequeue(out var r) ? r : new Status(200);
        var answered = 200;
        switch (reply)
        {
            case Status s:
                answered = s.Code;
                if (s.RetryAfterSeconds is { } after) ctx.Response.Headers.RetryAfter = after.ToString();
                break;
            case Hang:
                answered = 0;
                Record();
                try { await Task.Delay(Timeout.Infinite, ctx.RequestAborted); } catch (OperationCanceledException) { }
                return;
            case Gate g:
                answered = 0;
                Record();
                g.Arrived.TrySetResult();
                try { await g.Open.Task.WaitAsync(ctx.RequestAborted); } catch (OperationCanceledException) { }
                return;
        }
        ctx.Response.StatusCode = answered;
        Record();
        return;

        void Record()
        {
            lock (_lock)
            {
                _received.Add(new Received(path, findingId, eventId, attempt, ctx.Request.ContentType ?? "", body, valid, header.Length > 0, answered, DateTimeOffset.UtcNow));
                var previous = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                previous.TrySetResult();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
