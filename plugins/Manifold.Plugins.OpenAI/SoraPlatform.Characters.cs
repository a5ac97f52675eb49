using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// OpenAI's video characters, as documented: <c>POST {base}/videos/characters</c> (multipart <c>name</c> and the
/// <c>video</c> file, as the official SDK sends them) and <c>GET {base}/videos/characters/{id}</c>. Ids are the upstream's;
/// the host keeps its own. A video request refers to a character by its id in <c>characters</c> (the host adds it; see
/// <see cref="CreateVideoAsync"/>, which passes it on as the SDK encodes a list of objects, <c>characters[][id]</c>).
/// </summary>
internal sealed partial class SoraPlatform : IVideoCharactersAdapter
{
    public async Task<VideoCharacter> CreateVideoCharacterAsync(CreateVideoCharacterForm request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        var form = new OpenAIForm();
        try
        {
            form.AddTextIfSet("name", request.Name);
            if (files.First("video") is { } video)
            {
                form.AddFile("video", video);
            }
            // Manifold's own routing field is not the API's.
            form.AddAdditional(request.AdditionalProperties);
        }
        catch
        {
            form.Dispose();
            throw;
        }
        using var response = await _upstream.SendAsync(HttpMethod.Post, UpstreamUri.Join(_baseUrl, "videos/characters"), form.Content, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<VideoCharacter>(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<VideoCharacter> GetVideoCharacterAsync(string characterId, AdapterContext context, CancellationToken cancellationToken)
    {
        var uri = UpstreamUri.Join(_baseUrl, "videos/characters/" + Uri.EscapeDataString(characterId));
        using var response = await _upstream.SendAsync(HttpMethod.Get, uri, null, Json, context, cancellationToken).ConfigureAwait(false);
        return await _upstream.ReadJsonAsync<VideoCharacter>(response, cancellationToken).ConfigureAwait(false);
    }
}
