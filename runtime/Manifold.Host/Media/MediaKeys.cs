namespace Manifold.Host.Media;

/// <summary>
/// Storage keys are built by Manifold, never taken from a client; this check is the last line anyway, so that no
/// key can name a path outside the store (<c>..</c>, absolute paths, backslashes).
/// </summary>
public static class MediaKeys
{
    public static string For(string taskId, string variant) => Validate($"{taskId}/{variant}");

    public static string Validate(string key)
    {
        if (key.Length is 0 or > 200 || key[0] == '/' || key.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{key}' is not a media storage key.", nameof(key));
        }
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/'))
            {
                throw new ArgumentException($"'{key}' is not a media storage key.", nameof(key));
            }
        }
        return key;
    }
}
