using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.Upstream;

namespace Acme.Plugin;

/// <summary>
/// One configured platform. It serves OpenAI Chat Completions by implementing the generated <see cref="IChatCompletionsAdapter"/>,
/// relaying to an upstream that speaks the same API. Clients of Manifold's other protocols (Responses, Anthropic Messages,
/// Gemini) reach it too: the gateway converts. Implement more adapter interfaces (IModelsAdapter, …) to serve more endpoints.
/// </summary>
/// <remarks>
/// The gateway does the rest around each call: it picks the platform by route or model, picks an account (rotating, and
/// failing over when a call throws a retryable <see cref="UpstreamException"/>), validates the request, and writes the
/// answer or error in the caller's protocol.
/// </remarks>
internal sealed class ChatPlatform : IPlatform, IChatCompletionsAdapter
{
    private readonly UpstreamClient _upstream;
    private readonly Uri _chatCompletions;

    public ChatPlatform(string name, Uri baseUrl, HttpClient http)
    {
        Name = name;
        _chatCompletions = UpstreamUri.Join(baseUrl, "chat/completions");
        // UpstreamClient sends with the account the gateway chose for this attempt, returns 2xx answers unread (so streams
        // are relayed as they arrive), and turns everything else into an UpstreamException: error answers through
        // UpstreamErrors, broken connections and timeouts as an unreachable upstream.
        _upstream = new UpstreamClient(
            http,
            name,
            static (request, account) => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Key),
            (response, account, cancellationToken) => UpstreamErrors.ReadAsync(response, name, account, cancellationToken),
            requestIdHeader: "x-request-id");
    }

    public string Name { get; }

    /// <summary>The models the root routes (<c>/v1/...</c>) send here unless the operator lists others (<c>Models__0</c>, …).</summary>
    public IReadOnlyList<string> DefaultModels { get; } = ["acme-*"];

    public async Task<CreateChatCompletionResponse> CreateChatCompletionAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        // The request goes out as the client sent it, fields the contract does not model included (AdditionalProperties).
        using var response = await _upstream.SendAsync(
            HttpMethod.Post, _chatCompletions, UpstreamClient.JsonBody(request), UpstreamClient.Json, context, cancellationToken);
        return await _upstream.ReadJsonAsync<CreateChatCompletionResponse>(response, cancellationToken);
    }

    public async IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
        CreateChatCompletionRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Disposed with the enumerator, however the stream ends; a client that leaves early aborts the upstream call.
        using var response = await _upstream.SendAsync(
            HttpMethod.Post, _chatCompletions, UpstreamClient.JsonBody(request), UpstreamClient.EventStream, context, cancellationToken);
        await using var events = new UpstreamEventStream(response, Name, cancellationToken);
        while (await events.NextAsync() is { } data)
        {
            // ManifoldJson.Options is the one serializer configuration of the contract's DTOs.
            yield return JsonSerializer.Deserialize<CreateChatCompletionStreamResponse>(data, ManifoldJson.Options)
                ?? throw new JsonException("The upstream sent null instead of a chat.completion.chunk.");
        }
    }
}
