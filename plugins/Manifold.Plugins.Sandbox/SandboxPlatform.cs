using Manifold.Contracts;
using Manifold.Contracts.OpenAI;

namespace Manifold.Plugins.Sandbox;

/// <summary>The sandbox platform: OpenAI-shaped chat completions and models, computed locally.</summary>
internal sealed partial class SandboxPlatform(string name, TimeProvider time) : IPlatform, IChatCompletionsAdapter, IModelsAdapter
{
    private const string ModelPrefix = "sandbox-";
    private const string EchoModel = ModelPrefix + "echo";
    private const string ServiceTier = "default";

    public string Name { get; } = name;

    public IReadOnlyList<string> DefaultModels { get; } = [ModelPrefix + "*"];

    public Task<CreateChatCompletionResponse> CreateChatCompletionAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reply = SandboxReply.For(request);
        var message = new ChatCompletionResponseMessage { Content = reply.Content };
        if (reply.ToolName is { } tool)
        {
            message.ToolCalls =
            [
                new ChatCompletionMessageToolCall
                {
                    Id = reply.ToolCallId,
                    Type = ChatCompletionMessageToolCallTypeValues.Function,
                    Function = new ChatCompletionMessageToolCallFunction { Name = tool, Arguments = reply.ToolArguments },
                },
            ];
        }
        else
        {
            message.Annotations = [];
        }
        return Task.FromResult(new CreateChatCompletionResponse
        {
            Id = NewId(),
            Created = time.GetUtcNow().ToUnixTimeSeconds(),
            Model = request.Model,
            Choices = [new CreateChatCompletionResponseChoice { Index = 0, Message = message, FinishReason = reply.FinishReason }],
            Usage = reply.Usage(),
            ServiceTier = ServiceTier,
        });
    }

    public IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken) =>
        StreamChunks(request, cancellationToken).ToAsyncEnumerable();

    public Task<ListModelsResponse> ListModelsAsync(AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new ListModelsResponse { Data = [NewModel(EchoModel)] });

    public Task<Model> RetrieveModelAsync(string model, AdapterContext context, CancellationToken cancellationToken) =>
        model.StartsWith(ModelPrefix, StringComparison.OrdinalIgnoreCase)
            ? Task.FromResult(NewModel(model))
            : Task.FromException<Model>(new ManifoldException(404, "invalid_request_error", $"The model '{model}' does not exist", "model", "model_not_found"));

    /// <summary>
    /// The chunks OpenAI sends, in its order: the role, the content word by word (or the tool call: name,
    /// then arguments), the finish reason, and, when <c>stream_options.include_usage</c> asks, a last chunk
    /// with no choices and the usage.
    /// </summary>
    private IEnumerable<CreateChatCompletionStreamResponse> StreamChunks(CreateChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var reply = SandboxReply.For(request);
        var id = NewId();
        var created = time.GetUtcNow().ToUnixTimeSeconds();

        if (reply.ToolName is { } tool)
        {
            yield return Chunk(new ChatCompletionStreamResponseDelta
            {
                Role = ChatCompletionStreamResponseDeltaRoleValues.Assistant,
                ToolCalls =
                [
                    new ChatCompletionMessageToolCallChunk
                    {
                        Index = 0,
                        Id = reply.ToolCallId,
                        Type = ChatCompletionMessageToolCallChunkTypeValues.Function,
                        Function = new ChatCompletionMessageToolCallChunkFunction { Name = tool, Arguments = string.Empty },
                    },
                ],
            });
            yield return Chunk(new ChatCompletionStreamResponseDelta
            {
                ToolCalls = [new ChatCompletionMessageToolCallChunk { Index = 0, Function = new ChatCompletionMessageToolCallChunkFunction { Arguments = reply.ToolArguments } }],
            });
        }
        else
        {
            yield return Chunk(new ChatCompletionStreamResponseDelta { Role = ChatCompletionStreamResponseDeltaRoleValues.Assistant, Content = string.Empty });
            foreach (var word in Words(reply.Content ?? string.Empty))
            {
                yield return Chunk(new ChatCompletionStreamResponseDelta { Content = word });
            }
        }
        yield return Chunk(new ChatCompletionStreamResponseDelta(), reply.FinishReason);

        if (request.StreamOptions?.IncludeUsage == true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CreateChatCompletionStreamResponse { Id = id, Created = created, Model = request.Model, Choices = [], Usage = reply.Usage(), ServiceTier = ServiceTier };
        }

        CreateChatCompletionStreamResponse Chunk(ChatCompletionStreamResponseDelta delta, string? finishReason = null)
        {
            // Checked as each chunk is produced, so a client that disconnects stops the stream at the next one.
            cancellationToken.ThrowIfCancellationRequested();
            return new CreateChatCompletionStreamResponse
            {
                Id = id,
                Created = created,
                Model = request.Model,
                Choices = [new CreateChatCompletionStreamResponseChoice { Index = 0, Delta = delta, FinishReason = finishReason }],
                ServiceTier = ServiceTier,
            };
        }
    }

    /// <summary>Splits text into word-sized pieces that concatenate back to it: "You said: hi" gives "You", " said:", " hi".</summary>
    private static IEnumerable<string> Words(string text)
    {
        var start = 0;
        for (var i = 1; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]))
            {
                yield return text[start..i];
                start = i;
            }
        }
        if (start < text.Length)
        {
            yield return text[start..];
        }
    }

    private static string NewId() => "chatcmpl-sandbox-" + Guid.NewGuid().ToString("N");

    private Model NewModel(string id) => new() { Id = id, Created = 0, OwnedBy = Name };
}
