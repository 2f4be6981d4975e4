using Correlator.Telemetry;
using Marten;
using Marten.Services;

namespace Correlator.Findings;

/// <summary>Counts a page's appended finding transitions once its transaction committed (a retried page is not counted twice).</summary>
internal sealed class FindingsCounted(CorrelatorMetrics metrics, IReadOnlyDictionary<string, int> byKind) : IChangeListener
{
    public Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var (kind, count) in byKind) metrics.FindingTransition(kind, count);
        return Task.CompletedTask;
    }

    public Task BeforeCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token) => Task.CompletedTask;
}
