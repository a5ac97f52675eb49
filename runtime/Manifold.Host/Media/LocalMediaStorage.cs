namespace Manifold.Host.Media;

/// <summary>
/// <see cref="IMediaStorage"/> in a local folder: one file per key, with its content type in a sidecar file.
/// Writes go to a temporary file first and are moved into place, so a reader never sees half a video and a crash
/// mid-download leaves no partial result behind.
/// </summary>
public sealed class LocalMediaStorage(string root) : IMediaStorage
{
    private const string TypeSuffix = ".type";

    public string Root { get; } = Path.GetFullPath(root);

    public async Task<long> SaveAsync(string key, string contentType, Stream content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            long length;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                length = file.Length;
            }
            await File.WriteAllTextAsync(path + TypeSuffix, contentType, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
            return length;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<StoredMedia?> OpenAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        var typePath = path + TypeSuffix;
        var contentType = File.Exists(typePath) ? await File.ReadAllTextAsync(typePath, cancellationToken).ConfigureAwait(false) : "application/octet-stream";
        return new StoredMedia(file, file.Length, contentType);
    }

    public Task DeleteAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var path = PathOf(prefix.TrimEnd('/'));
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        foreach (var file in new[] { path, path + TypeSuffix })
        {
            File.Delete(file);
        }
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(Root, MediaKeys.Validate(key)));
        // Validate refuses "..", so this cannot fail; it stays as a second lock on the same door.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is outside the media folder.", nameof(key));
        }
        return path;
    }
}
