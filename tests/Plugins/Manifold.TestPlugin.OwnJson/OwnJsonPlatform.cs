using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;

namespace Manifold.TestPlugin.OwnJson;

/// <summary>
/// Exchanges System.Text.Json types with the host both ways: reads a <see cref="JsonElement"/> the host parsed out of the
/// request (an unmodelled field, in <c>AdditionalProperties</c>), serializes the host's DTO with the host's options, and
/// answers with a <see cref="JsonElement"/> of its own making that the host then writes.
/// </summary>
internal sealed class OwnJsonPlatform(string name) : IPlatform, IChatCompletionsAdapter
{
    public string Name { get; } = name;

    public IReadOnlyList<string> DefaultModels { get; } = ["own-json-*"];

    public Task<CreateChatCompletionResponse> CreateChatCompletionAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var probe = request.AdditionalProperties is { } extra && extra.TryGetValue("probe", out var value) ? value : default;
        var seen = JsonSerializer.Serialize(request, ManifoldJson.Options);
        using var made = JsonDocument.Parse($$"""{"probe_kind":"{{probe.ValueKind}}","request_bytes":{{seen.Length}}}""");
        return Task.FromResult(new CreateChatCompletionResponse
        {
            Id = "chatcmpl-own-json",
            Created = 0,
            Model = request.Model,
            Choices =
            [
                new CreateChatCompletionResponseChoice
                {
                    Index = 0,
                    FinishReason = "stop",
                    Message = new ChatCompletionResponseMessage { Content = probe.ValueKind == JsonValueKind.Object ? probe.GetProperty("say").GetString() : null },
                },
            ],
            AdditionalProperties = new Dictionary<string, JsonElement> { ["plugin_json"] = made.RootElement.Clone() },
        });
    }

    public async IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
        CreateChatCompletionRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var answer = await CreateChatCompletionAsync(request, context, cancellationToken).ConfigureAwait(false);
        yield return new CreateChatCompletionStreamResponse
        {
            Id = answer.Id,
            Model = answer.Model,
            Choices = [new CreateChatCompletionStreamResponseChoice { Index = 0, Delta = new ChatCompletionStreamResponseDelta { Content = answer.Choices[0].Message.Content } }],
        };
    }
}
