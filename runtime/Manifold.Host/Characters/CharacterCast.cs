using System.Text.Json;
using System.Text.Json.Serialization;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Platforms;

namespace Manifold.Host.Characters;

/// <summary>
/// The characters a new video refers to, found by <see cref="VideoCharacters.CastAsync"/>: the prompt with each
/// <c>@name</c> written as the name, and the characters themselves. <see cref="ApplyTo"/> puts them into the request as
/// OpenAI's API takes them (the name in the prompt, the ids in <c>characters</c>); <see cref="Pin"/> sends the job to the
/// account that made them, the only one whose upstream knows their ids.
/// </summary>
public sealed class CharacterCast
{
    public static CharacterCast None { get; } = new(null, []);

    internal CharacterCast(string? prompt, IReadOnlyList<VideoCharacterRecord> characters)
    {
        Prompt = prompt;
        Characters = characters;
    }

    /// <summary>The prompt the platform gets; null when it is the client's as sent.</summary>
    public string? Prompt { get; }

    public IReadOnlyList<VideoCharacterRecord> Characters { get; }

    /// <summary>What the job records (Manifold's ids and names), shown in its <c>?detail=true</c>; null for none.</summary>
    public IReadOnlyList<CharacterReference>? Recorded =>
        Characters.Count == 0 ? null : [.. Characters.Select(static c => new CharacterReference(c.Id, c.Name))];

    /// <summary>
    /// Writes the cast into <paramref name="request"/> for the platform and returns what puts the client's request back
    /// (dispose it once the platform has been called: a retry on another attempt casts again from the client's words).
    /// </summary>
    public IDisposable ApplyTo(CreateVideoRequest request)
    {
        if (Characters.Count == 0)
        {
            return Restore.Nothing;
        }
        var prompt = request.Prompt;
        var extra = request.AdditionalProperties;
        var withCharacters = extra is null ? new Dictionary<string, JsonElement>() : new Dictionary<string, JsonElement>(extra);
        withCharacters["characters"] = JsonSerializer.SerializeToElement(Characters.Select(static c => new Dictionary<string, string> { ["id"] = c.UpstreamId }));
        request.Prompt = Prompt ?? prompt;
        request.AdditionalProperties = withCharacters;
        return new Restore(() =>
        {
            request.Prompt = prompt;
            request.AdditionalProperties = extra;
        });
    }

    /// <summary>The attempt's context, on the account that made the characters when it is not the one the pool picked.</summary>
    public AdapterContext Pin(AdapterContext context, PlatformEntry entry)
    {
        if (Characters.Count == 0 || Characters[0].AccountId is not { } accountId || context.Account?.Id == accountId)
        {
            return context;
        }
        var account = entry.FindAccount(accountId) ?? throw new ManifoldException(400, "invalid_request_error",
            $"Character '{Characters[0].Name}' was made with an upstream account platform '{entry.Name}' no longer has; create the character again.", "prompt", "character_unavailable");
        return new AdapterContext(context.Platform, account, context.RequestId);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public static Restore Nothing { get; } = new(static () => { });

        public void Dispose() => undo();
    }
}

/// <summary>A character a job refers to, as the job keeps it.</summary>
public sealed record CharacterReference(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name);
