using System.ClientModel;
using Manifold.Host.Tests.Fakes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;

namespace Manifold.Host.Tests.Gateway;

/// <summary>
/// The official OpenAI .NET SDK, unmodified, against Manifold on a real socket: only the endpoint and
/// key differ from calling the upstream directly, and the results are the same.
/// </summary>
public sealed class OpenAIDotNetSdkTests : IAsyncLifetime
{
    private FakeOpenAIUpstream _upstream = null!;
    private ManifoldFactory _manifold = null!;
    private string _manifoldUrl = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeOpenAIUpstream.StartAsync();
        _manifold = ManifoldFactory.WithOpenAIUpstream(_upstream.BaseUrl, "sk-upstream-1");
        _manifold.UseKestrel(0);
        _manifold.StartServer();
        _manifoldUrl = _manifold.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync()
    {
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private ChatClient Direct(string model) =>
        new(model, new ApiKeyCredential("sk-upstream-1"), new OpenAIClientOptions { Endpoint = new Uri(_upstream.BaseUrl) });

    private ChatClient ThroughManifold(string model, string prefix) =>
        new(model, new ApiKeyCredential(ManifoldFactory.LicenceKey), new OpenAIClientOptions { Endpoint = new Uri(_manifoldUrl + prefix + "/v1") });

    public static TheoryData<string> Prefixes => ["", "/up"];

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Non_streaming_matches_a_direct_call(string prefix)
    {
        ChatMessage[] messages = [new SystemChatMessage("Be brief."), new UserChatMessage("Hi")];

        ChatCompletion direct = await Direct("gpt-4o-mini").CompleteChatAsync(messages);
        ChatCompletion gateway = await ThroughManifold("gpt-4o-mini", prefix).CompleteChatAsync(messages);

        Assert.Equal(FakeOpenAIUpstream.CompletionText, gateway.Content[0].Text);
        Assert.Equal(direct.Content[0].Text, gateway.Content[0].Text);
        Assert.Equal(direct.Id, gateway.Id);
        Assert.Equal(direct.Model, gateway.Model);
        Assert.Equal(direct.FinishReason, gateway.FinishReason);
        Assert.Equal(direct.Usage.InputTokenCount, gateway.Usage.InputTokenCount);
        Assert.Equal(direct.Usage.OutputTokenCount, gateway.Usage.OutputTokenCount);
        Assert.Equal(direct.CreatedAt, gateway.CreatedAt);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public async Task Streaming_matches_a_direct_call(string prefix)
    {
        ChatMessage[] messages = [new UserChatMessage("Hi")];

        var direct = await Collect(Direct("gpt-4o-mini").CompleteChatStreamingAsync(messages));
        var gateway = await Collect(ThroughManifold("gpt-4o-mini", prefix).CompleteChatStreamingAsync(messages));

        Assert.Equal(FakeOpenAIUpstream.CompletionText, gateway.Text);
        Assert.Equal(direct, gateway);
    }

    [Fact]
    public async Task Tool_calls_match_a_direct_call_streaming_and_not()
    {
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}""")) },
        };
        ChatMessage[] messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion direct = await Direct("gpt-tools").CompleteChatAsync(messages, options);
        ChatCompletion gateway = await ThroughManifold("gpt-tools", "").CompleteChatAsync(messages, options);
        var streamed = await Collect(ThroughManifold("gpt-tools", "").CompleteChatStreamingAsync(messages, options));

        Assert.Equal(ChatFinishReason.ToolCalls, gateway.FinishReason);
        var call = Assert.Single(gateway.ToolCalls);
        Assert.Equal(direct.ToolCalls[0].Id, call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, streamed.FinishReason);
        Assert.Equal("""{"city":"Paris"}""", streamed.ToolArguments);
    }

    [Fact]
    public async Task A_wrong_licence_surfaces_as_the_SDKs_401()
    {
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential("not-a-licence"), new OpenAIClientOptions { Endpoint = new Uri(_manifoldUrl + "/v1") });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(401, error.Status);
    }

    private sealed record StreamSummary(string Text, ChatFinishReason? FinishReason, int? TotalTokens, string ToolArguments);

    private static async Task<StreamSummary> Collect(AsyncCollectionResult<StreamingChatCompletionUpdate> updates)
    {
        var text = "";
        var arguments = "";
        ChatFinishReason? finish = null;
        int? total = null;
        await foreach (var update in updates)
        {
            text += string.Concat(update.ContentUpdate.Select(static c => c.Text));
            arguments += string.Concat(update.ToolCallUpdates.Select(static t => t.FunctionArgumentsUpdate?.ToString()));
            finish ??= update.FinishReason;
            total ??= update.Usage?.TotalTokenCount;
        }
        return new StreamSummary(text, finish, total, arguments);
    }
}
