namespace Manifold.Host.Media;

/// <summary>
/// Where finished jobs' files live, so downloads never reach the upstream (no upstream key in a link, no upstream
/// expiry). Keys are Manifold's (<c>{task id}/{variant}</c>); the local folder is one implementation, an
/// S3-compatible bucket another.
/// </summary>
public interface IMediaStorage
{
    /// <summary>Stores <paramref name="content"/> under <paramref name="key"/>, replacing what was there; returns its length.</summary>
    Task<long> SaveAsync(string key, string contentType, Stream content, CancellationToken cancellationToken = default);

    /// <summary>The stored file, or null when there is none. The caller disposes it.</summary>
    Task<StoredMedia?> OpenAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes every file whose key starts with <paramref name="prefix"/> (a job's folder).</summary>
    Task DeleteAsync(string prefix, CancellationToken cancellationToken = default);
}

/// <summary>A stored file opened for reading; <see cref="Content"/> is seekable when the store can serve ranges.</summary>
public sealed class StoredMedia(Stream content, long length, string contentType) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public long Length { get; } = length;

    public string ContentType { get; } = contentType;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
