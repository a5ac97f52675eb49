namespace Manifold.Host.Characters;

/// <summary>Where Manifold keeps the characters it made (the <c>video_characters</c> table).</summary>
public interface ICharacterStore
{
    Task InsertAsync(VideoCharacterRecord character, CancellationToken cancellationToken = default);

    Task<VideoCharacterRecord?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The licence's characters on <paramref name="platform"/> named one of <paramref name="names"/>, newest first (so where a
    /// licence reused a name, its newest character wins).
    /// </summary>
    Task<IReadOnlyList<VideoCharacterRecord>> FindByNamesAsync(long? licenceId, string platform, IReadOnlyCollection<string> names, CancellationToken cancellationToken = default);
}
