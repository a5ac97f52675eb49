namespace Manifold.Contracts;

/// <summary>
/// A binary answer (a video, an image, a thumbnail) as an adapter returns it: the bytes as a stream, with their content
/// type and, when known, their length. The host writes it to the client and disposes it; a seekable stream with a known
/// length is served with <c>Range</c> support.
/// </summary>
public sealed class BinaryContent(Stream content, string contentType, long? length = null) : IAsyncDisposable
{
    public Stream Content { get; } = content;

    public string ContentType { get; } = contentType;

    public long? Length { get; } = length;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
