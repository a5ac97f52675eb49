namespace Manifold.Contracts;

/// <summary>
/// One file of a <c>multipart/form-data</c> request (an image to edit, a video's reference frame). The host has already
/// read it to a temporary file, never whole into memory, and deletes it when the request ends.
/// </summary>
public sealed class FilePart(string name, string fileName, string contentType, long length, string path)
{
    /// <summary>The form field it came in, without a trailing <c>[]</c> (<c>image[]</c> is <c>image</c>).</summary>
    public string Name { get; } = name;

    /// <summary>The client's file name; informational only, never a path to trust.</summary>
    public string FileName { get; } = fileName;

    /// <summary>The part's declared content type (<c>application/octet-stream</c> when it declared none).</summary>
    public string ContentType { get; } = contentType;

    public long Length { get; } = length;

    private readonly string _path = path;

    /// <summary>A new read-only stream over the file; the caller disposes it. May be opened more than once (a retry).</summary>
    public Stream OpenRead() => new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
}

/// <summary>The files of a multipart request, by field name; empty for a JSON request.</summary>
public sealed class FileParts(IReadOnlyList<FilePart> all)
{
    public static FileParts None { get; } = new([]);

    public IReadOnlyList<FilePart> All { get; } = all;

    /// <summary>Every file sent under <paramref name="name"/> (repeated <c>image[]</c> parts, in order).</summary>
    public IReadOnlyList<FilePart> Named(string name) => [.. All.Where(f => f.Name == name)];

    /// <summary>The first file sent under <paramref name="name"/>, or null.</summary>
    public FilePart? First(string name) => All.FirstOrDefault(f => f.Name == name);
}
