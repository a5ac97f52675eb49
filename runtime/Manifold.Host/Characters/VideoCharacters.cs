using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Media;
using Manifold.Host.Platforms;

namespace Manifold.Host.Characters;

/// <summary>
/// Characters as Manifold serves them: recorded per licence in front of the platforms that make them
/// (<see cref="CharacterTaskAdapter"/>), cut from the seeds' clips (<see cref="ClipSource"/>, <see cref="Ffmpeg"/>), and
/// referred to by a video's prompt (<see cref="CastAsync"/>, which every door that makes a video job goes through).
/// </summary>
public sealed class VideoCharacters(ICharacterStore store, Ffmpeg ffmpeg, ClipSource clips, IMediaStorage storage, MediaLinks links, TimeProvider time)
{
    /// <summary>Where a clip character's profile picture is kept (<c>{character id}/profile.jpg</c>).</summary>
    public IMediaStorage Storage { get; } = storage;

    /// <summary>Signed links to stored files.</summary>
    public MediaLinks Links { get; } = links;

    public ICharacterStore Store { get; } = store;

    public Ffmpeg Ffmpeg { get; } = ffmpeg;

    public ClipSource Clips { get; } = clips;

    public TimeProvider Time { get; } = time;

    /// <summary>Whether <typeparamref name="TAdapter"/> is one of the character APIs, which this layer answers in front of a platform.</summary>
    public static bool Serves<TAdapter>() => typeof(TAdapter) == typeof(IVideoCharactersAdapter) || typeof(TAdapter) == typeof(ICharacterClipsAdapter);

    /// <summary>This layer in front of <paramref name="entry"/>, for a new character (<paramref name="character"/> null) or one of the caller's.</summary>
    public TAdapter Wrap<TAdapter>(PlatformEntry entry, VideoCharacterRecord? character, long? licenceId, string publicBase)
        where TAdapter : class =>
        (TAdapter)(object)new CharacterTaskAdapter(this, entry, entry.Platform as IVideoCharactersAdapter, character, licenceId, publicBase);

    /// <summary>
    /// The characters a new video on <paramref name="entry"/> refers to: each <c>@name</c> in its prompt naming a character
    /// the licence made on that platform (newest of a name first), and OpenAI's <c>characters</c> list when the client sent
    /// one with Manifold's ids. A name the licence did not make there stays text. Costs nothing without an <c>@</c> or a
    /// <c>characters</c> field, and nothing on a platform that makes no characters.
    /// </summary>
    public async Task<CharacterCast> CastAsync(CreateVideoRequest request, PlatformEntry entry, long? licenceId, CancellationToken cancellationToken)
    {
        var listed = ListedIds(request);
        if (entry.Platform is not IVideoCharactersAdapter)
        {
            return listed.Count == 0 ? CharacterCast.None
                : throw new ManifoldException(400, "invalid_request_error", $"Platform '{entry.Name}' makes no characters; 'characters' cannot be sent to it.", "characters", "unsupported_parameter");
        }
        var candidates = CharacterMentions.Candidates(request.Prompt);
        if (candidates.Count == 0 && listed.Count == 0)
        {
            return CharacterCast.None;
        }
        var cast = new List<VideoCharacterRecord>();
        foreach (var id in listed)
        {
            var character = CharacterIds.IsWellFormed(id) ? await Store.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
            if (character is null || character.LicenceId != licenceId || character.Platform != entry.Name)
            {
                throw new ManifoldException(400, "invalid_request_error", $"'characters' names no character of yours on platform '{entry.Name}': '{id}'.", "characters", "invalid_value");
            }
            if (!cast.Any(c => c.Id == character.Id))
            {
                cast.Add(character);
            }
        }
        string? prompt = null;
        if (candidates.Count > 0)
        {
            var found = await Store.FindByNamesAsync(licenceId, entry.Name, candidates, cancellationToken).ConfigureAwait(false);
            var newest = new Dictionary<string, VideoCharacterRecord>(StringComparer.Ordinal);
            foreach (var character in found)
            {
                newest.TryAdd(character.Name, character);
            }
            if (newest.Count > 0)
            {
                var (rewritten, mentioned) = CharacterMentions.Rewrite(request.Prompt!, newest.Keys.ToHashSet(StringComparer.Ordinal));
                prompt = rewritten;
                foreach (var name in mentioned)
                {
                    if (!cast.Any(c => c.Id == newest[name].Id))
                    {
                        cast.Add(newest[name]);
                    }
                }
            }
        }
        if (cast.Select(static c => c.AccountId).Distinct().Count() > 1)
        {
            throw new ManifoldException(400, "invalid_request_error",
                $"Characters {string.Join(", ", cast.Select(static c => $"'{c.Name}'"))} were made with different upstream accounts, and one video is made by one; use characters made together.", "prompt", "characters_incompatible");
        }
        return cast.Count == 0 ? CharacterCast.None : new CharacterCast(prompt, cast);
    }

    /// <summary>OpenAI's <c>characters</c> as a client sent it: ids, as <c>[{"id"}]</c> or plain strings.</summary>
    private static List<string> ListedIds(CreateVideoRequest request)
    {
        var ids = new List<string>();
        if (request.AdditionalProperties?.TryGetValue("characters", out var characters) != true)
        {
            return ids;
        }
        if (characters.ValueKind != JsonValueKind.Array)
        {
            throw new ManifoldException(400, "invalid_request_error", "'characters' must be a list of {\"id\": \"char_...\"}.", "characters", "invalid_type");
        }
        foreach (var item in characters.EnumerateArray())
        {
            var id = item.ValueKind switch
            {
                JsonValueKind.String => item.GetString(),
                JsonValueKind.Object when item.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String => value.GetString(),
                _ => null,
            };
            ids.Add(id ?? throw new ManifoldException(400, "invalid_request_error", "'characters' must be a list of {\"id\": \"char_...\"}.", "characters", "invalid_type"));
        }
        return ids;
    }
}
