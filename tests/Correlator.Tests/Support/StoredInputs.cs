using JasperFx.Events;
using Marten.Events;
using Marten;

namespace Correlator.Tests.Support;

public static class StoredInputs
{
    /// <summary>
    /// The stored events of type <typeparamref name="T"/>. Input events keep their bodies in <c>bdata</c>
    /// (<see cref="Correlator.Hosting.EventBodies"/>), which Marten's <c>QueryRawEventDataOnly</c> does not read.
    /// </summary>
    public static async Task<List<T>> StoredAsync<T>(this IQuerySession session) =>
        (await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(typeof(T))).OrderBy(e => e.Sequence).ToListAsync())
        .Select(e => (T)e.Data).ToList();
}
