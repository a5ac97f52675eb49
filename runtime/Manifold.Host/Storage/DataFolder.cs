namespace Manifold.Host.Storage;

/// <summary>
/// The one folder Manifold keeps its state in (<c>Manifold__DataPath</c>, default <c>data</c> in the working directory):
/// the database and the media, side by side, outside <c>bin/</c>, so Debug and Release builds share them and an upgrade,
/// which replaces <c>bin/</c>, keeps them. Relative storage paths in the configuration are under it.
/// </summary>
public static class DataFolder
{
    public const string Key = "Manifold:DataPath";

    public static string Resolve(IConfiguration configuration) =>
        Path.GetFullPath(configuration[Key] is { Length: > 0 } configured ? configured : "data");

    /// <summary><paramref name="path"/> itself when rooted, else under the data folder.</summary>
    public static string Under(IConfiguration configuration, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Resolve(configuration), path));
}
