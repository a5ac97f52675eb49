using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Characters;
using Manifold.Host.Metrics;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;
using Manifold.Host.Tasks;

namespace Manifold.Host.Endpoints;

public sealed partial class EndpointCall
{
    /// <summary>
    /// At the root, which platform makes a character: the one serving the body's <c>model</c> among those that make
    /// characters; without a model, the only such platform the licence may use. Several are the caller's 400 naming
    /// <c>model</c> (name one, or use <c>/{platform}</c>); null with <paramref name="refusal"/> null is "no such model".
    /// </summary>
    private PlatformEntry? CharacterPlatform(string? model, Func<PlatformEntry, bool>? allowed, out ErrorInfo? refusal)
    {
        refusal = null;
        var registry = _runtime.Platforms;
        bool Candidate(PlatformEntry entry) => entry.Platform is IVideoCharactersAdapter && (allowed is null || allowed(entry));
        if (!string.IsNullOrEmpty(model))
        {
            return registry.ResolveModel<IVideoCharactersAdapter>(model, Candidate);
        }
        var candidates = registry.All.Where(Candidate).ToList();
        switch (candidates.Count)
        {
            case 1:
                return candidates[0];
            case 0:
                refusal = ErrorInfo.NotFound("No platform you may use makes video characters.", code: "unsupported_endpoint");
                return null;
            default:
                refusal = ErrorInfo.BadRequest(
                    $"Several platforms make video characters ({string.Join(", ", candidates.Select(static c => c.Name))}): send a 'model' (e.g. sora-2), or address one as /{{platform}}{_operation.Pattern}.",
                    "model", "ambiguous_platform");
                return null;
        }
    }

    /// <summary>
    /// Routing by resource, as for a job: the character <paramref name="id"/> names its platform and the account that made
    /// it. One that does not exist, is not the caller's, or (under <c>/{platform}</c>) is another platform's is the same 404.
    /// </summary>
    private async ValueTask<PlatformTarget<TAdapter>?> ResolveCharacterAsync<TAdapter>(string id)
        where TAdapter : class
    {
        var characters = _http.RequestServices.GetRequiredService<VideoCharacters>();
        var character = CharacterIds.IsWellFormed(id) ? await characters.Store.GetAsync(id, Aborted) : null;
        PlatformEntry? entry = null;
        if (character is null || character.LicenceId != LicenceId
            || (HasPlatform && !string.Equals(RouteValue(EndpointMapper.PlatformRouteValue), character.Platform, StringComparison.Ordinal))
            || !_runtime.Platforms.TryGet(character.Platform, out entry))
        {
            await WriteErrorAsync(ErrorInfo.NotFound($"No character with id '{id}' was found.", code: "not_found"));
            return null;
        }
        RequestPlatform.Set(_http, entry);
        _meter?.Route(character.Platform, null);
        var adapter = characters.Wrap<TAdapter>(entry, character, LicenceId, PublicBase);
        return new PlatformTarget<TAdapter>(entry, adapter) { Pinned = character.AccountId is { } account ? entry.FindAccount(account) : null };
    }
}
