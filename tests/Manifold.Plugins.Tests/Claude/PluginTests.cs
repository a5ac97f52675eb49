using Manifold.Contracts.Anthropic;
using Manifold.Contracts.OpenAI;
using Manifold.Plugins.Claude;
using Manifold.Plugins.Tests.Fakes;

namespace Manifold.Plugins.Tests.Claude;

public sealed class PluginTests
{
    [Fact]
    public void The_claude_kind_serves_claude_models_through_messages_and_lists_models()
    {
        var plugin = new ClaudePlugin();

        var platform = plugin.CreatePlatform(TestPlatforms.Settings("claude", baseUrl: null), TestPlatforms.Services());

        Assert.Equal("claude", plugin.Kind);
        Assert.Equal(TestPlatforms.PlatformName, platform.Name);
        Assert.Equal(["claude-*"], platform.DefaultModels);
        Assert.IsAssignableFrom<IMessagesAdapter>(platform);
        Assert.IsAssignableFrom<IModelsAdapter>(platform);
        // Messages only: other protocols reach it through conversion.
        Assert.IsNotAssignableFrom<IChatCompletionsAdapter>(platform);
    }
}
