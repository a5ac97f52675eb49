using System.Globalization;
using System.Text;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;

namespace Manifold.Plugins.Sandbox;

/// <summary>
/// The sandbox as a video characters upstream, offline. Stateless as its jobs are: a character's id carries its creation
/// time and its name, so a read after a restart answers the same. It checks what OpenAI's API checks first: a name of 1 to
/// 80 characters and a video file that is an MP4 (an ISO BMFF <c>ftyp</c> box at its start).
/// </summary>
internal sealed partial class SandboxPlatform : IVideoCharactersAdapter
{
    private const string CharacterPrefix = "sandboxchar_";

    public async Task<VideoCharacter> CreateVideoCharacterAsync(CreateVideoCharacterForm request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        var name = request.Name;
        if (string.IsNullOrEmpty(name) || name.Length > 80)
        {
            throw new UpstreamException(400, "invalid_request_error", "'name' must be 1 to 80 characters long.", "name", "invalid_value");
        }
        if (files.First("video") is not { } video)
        {
            throw new UpstreamException(400, "invalid_request_error", "Missing required parameter: 'video'.", "video", "missing_required_parameter");
        }
        if (!await IsMp4Async(video, cancellationToken).ConfigureAwait(false))
        {
            throw new UpstreamException(400, "invalid_request_error", "'video' must be an MP4 file.", "video", "invalid_value");
        }
        var created = time.GetUtcNow().ToUnixTimeMilliseconds();
        return new VideoCharacter
        {
            Id = CharacterPrefix + created.ToString(CultureInfo.InvariantCulture) + "_" + Convert.ToHexStringLower(Encoding.UTF8.GetBytes(name)),
            Name = name,
            CreatedAt = created / 1000,
        };
    }

    public Task<VideoCharacter> GetVideoCharacterAsync(string characterId, AdapterContext context, CancellationToken cancellationToken)
    {
        var (created, name) = ParseCharacter(characterId)
            ?? throw new UpstreamException(404, "invalid_request_error", $"No character with id '{characterId}' exists.", "character_id");
        return Task.FromResult(new VideoCharacter { Id = characterId, Name = name, CreatedAt = created / 1000 });
    }

    /// <summary>Whether <paramref name="id"/> is a character this sandbox made (a video's <c>characters</c> must name only those).</summary>
    internal static bool IsCharacter(string? id) => id is not null && ParseCharacter(id) is not null;

    /// <summary>
    /// A video's <c>characters</c> (OpenAI's list of <c>{"id"}</c>, which Manifold adds for a prompt's <c>@name</c>) may name
    /// only characters this sandbox made, as the API refuses ids it does not know.
    /// </summary>
    private static void CheckCharacters(CreateVideoRequest request)
    {
        if (request.AdditionalProperties?.TryGetValue("characters", out var characters) != true)
        {
            return;
        }
        var valid = characters.ValueKind == System.Text.Json.JsonValueKind.Array && characters.EnumerateArray().All(static c =>
            c.ValueKind == System.Text.Json.JsonValueKind.Object && c.TryGetProperty("id", out var id)
            && id.ValueKind == System.Text.Json.JsonValueKind.String && IsCharacter(id.GetString()));
        if (!valid)
        {
            throw new UpstreamException(400, "invalid_request_error", "'characters' must be a list of {\"id\"} naming characters of this platform.", "characters", "invalid_value");
        }
    }

    private static (long CreatedMs, string Name)? ParseCharacter(string id)
    {
        var parts = id.StartsWith(CharacterPrefix, StringComparison.Ordinal) ? id[CharacterPrefix.Length..].Split('_', 2) : [];
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var created) || parts[1].Length is 0 or > 640)
        {
            return null;
        }
        try
        {
            return (created, Encoding.UTF8.GetString(Convert.FromHexString(parts[1])));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task<bool> IsMp4Async(FilePart video, CancellationToken cancellationToken)
    {
        var head = new byte[12];
        await using var stream = video.OpenRead();
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        return read == head.Length && head.AsSpan(4, 4).SequenceEqual("ftyp"u8);
    }
}
