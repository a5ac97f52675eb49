using System.Runtime.CompilerServices;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.TestPlugin.Dependency;

namespace Manifold.TestPlugin;

/// <summary>
/// A platform that serves <c>echo-*</c> models by echoing the last message back: enough of a third-party
/// plugin to prove one built outside the host serves real traffic through the generated interfaces.
/// Its defaults come from the plugin's private dependency.
/// </summary>
internal sealed class EchoPlatform(string name) : IPlatform, IChatCompletionsAdapter
{
    public string Name { get; } = name;

    public IReadOnlyList<string> DefaultModels => EchoModels.Defaults;

    public Task<CreateChatCompletionResponse> CreateChatCompletionAsync(
        CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new CreateChatCompletionResponse
        {
            Id = "chatcmpl-echo",
            Created = 0,
            Model = request.Model,
            Choices =
            [
                new CreateChatCompletionResponseChoice
                {
                    Index = 0,
                    FinishReason = "stop",
                    Message = new ChatCompletionResponseMessage { Content = Echo(request, context) },
                },
            ],
        });

    public async IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(
        CreateChatCompletionRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield return new CreateChatCompletionStreamResponse
        {
            Id = "chatcmpl-echo",
            Model = request.Model,
            Choices = [new CreateChatCompletionStreamResponseChoice { Index = 0, Delta = new ChatCompletionStreamResponseDelta { Content = Echo(request, context) } }],
        };
    }

    private static string Echo(CreateChatCompletionRequest request, AdapterContext context) =>
        $"{context.Platform} echoes: {request.Messages[^1].Content?.StringValue}";
}
