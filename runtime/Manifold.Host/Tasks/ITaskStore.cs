namespace Manifold.Host.Tasks;

/// <summary>Durable media jobs. Every write is a single statement; updates are compare-and-set on <see cref="MediaTask.Version"/>.</summary>
public interface ITaskStore
{
    Task InsertAsync(MediaTask task, CancellationToken cancellationToken = default);

    Task<MediaTask?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="task"/> if the stored row still has <paramref name="task"/>'s version, and returns it
    /// with the next version; returns null when someone else changed the row first (re-read and decide again).
    /// </summary>
    Task<MediaTask?> TryUpdateAsync(MediaTask task, CancellationToken cancellationToken = default);

    /// <summary>A page of a licence's jobs of one kind, newest first unless <paramref name="ascending"/>, after the job <paramref name="after"/>.</summary>
    Task<IReadOnlyList<MediaTask>> ListAsync(long? licenceId, string kind, string? after, int limit, bool ascending, CancellationToken cancellationToken = default);

    /// <summary>The operator's view (<c>GET /admin/api/tasks</c>): every licence's jobs, filtered, newest first, after the job <see cref="TaskSearch.After"/>.</summary>
    Task<IReadOnlyList<MediaTask>> SearchAsync(TaskSearch search, CancellationToken cancellationToken = default);

    /// <summary>Unfinished jobs whose next poll is due, soonest first.</summary>
    Task<IReadOnlyList<MediaTask>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Leases due jobs to this node: each due job (soonest first, at most <paramref name="limit"/>) is taken by one caller only,
    /// its next poll moved to <paramref name="now"/> + <paramref name="lease"/> and its version bumped, in one statement. The
    /// caller writes its outcome compare-and-set on the returned version; a caller that dies leaves the job due again when the
    /// lease ends, for any node to take. (The default, for stores written before leases, only reads.)
    /// </summary>
    Task<IReadOnlyList<MediaTask>> ClaimDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default) =>
        DueAsync(now, limit, cancellationToken);

    /// <summary>Finished jobs whose results have expired.</summary>
    Task<IReadOnlyList<MediaTask>> ExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>How many jobs there are of each kind and status (for metrics: read periodically, never per request).</summary>
    Task<IReadOnlyList<MediaTaskCount>> CountAsync(CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);
}

/// <summary>What the operator looks for among jobs; null fields do not filter.</summary>
public sealed record TaskSearch(string? Status, string? Kind, string? Platform, long? LicenceId, string? After, int Limit);
