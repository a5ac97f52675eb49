using Manifold.Contracts.OpenAI;
using Manifold.Plugins.OpenAI;
using Manifold.Plugins.Tests.Fakes;

namespace Manifold.Plugins.Tests.OpenAI;

public sealed class PluginTests
{
    [Fact]
    public void The_openai_kind_serves_openais_model_families_by_default()
    {
        var plugin = new OpenAIPlugin();

        var platform = plugin.CreatePlatform(TestPlatforms.Settings("openai", baseUrl: null), TestPlatforms.Services());

        Assert.Equal("openai", plugin.Kind);
        Assert.Equal(TestPlatforms.PlatformName, platform.Name);
        Assert.Contains("gpt-*", platform.DefaultModels);
        Assert.Contains("o3*", platform.DefaultModels);
        Assert.Contains("text-embedding-*", platform.DefaultModels);
        Assert.IsAssignableFrom<IChatCompletionsAdapter>(platform);
        Assert.IsAssignableFrom<IModelsAdapter>(platform);
    }

    [Fact]
    public void The_openai_compatible_kind_has_no_default_models()
    {
        var plugin = new OpenAICompatiblePlugin();

        var platform = plugin.CreatePlatform(TestPlatforms.Settings("openai-compatible", new Uri("https://api.deepseek.com/v1")), TestPlatforms.Services());

        Assert.Equal("openai-compatible", plugin.Kind);
        Assert.Empty(platform.DefaultModels);
        Assert.IsAssignableFrom<IChatCompletionsAdapter>(platform);
    }

    [Fact]
    public void The_openai_compatible_kind_requires_a_base_url()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new OpenAICompatiblePlugin().CreatePlatform(TestPlatforms.Settings("openai-compatible", baseUrl: null), TestPlatforms.Services()));

        Assert.Contains($"Platform '{TestPlatforms.PlatformName}'", error.Message);
        Assert.Contains("BaseUrl", error.Message);
    }
}
