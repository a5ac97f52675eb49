using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.Gemini;
using Manifold.Plugins.Tests.Fakes;

namespace Manifold.Plugins.Tests.Veo;

public sealed class PluginTests
{
    [Fact]
    public void The_veo_kind_makes_videos_for_veo_models_and_nothing_else()
    {
        var platform = new VeoPlugin().CreatePlatform(TestPlatforms.Settings("veo", null), TestPlatforms.Services());

        Assert.Equal("veo", new VeoPlugin().Kind);
        Assert.Equal(["veo-*"], platform.DefaultModels);
        Assert.IsAssignableFrom<IVideosAdapter>(platform);
        Assert.IsNotAssignableFrom<Manifold.Contracts.Gemini.IGenerateContentAdapter>(platform);
        Assert.IsNotAssignableFrom<Manifold.Contracts.OpenAI.IModelsAdapter>(platform);
    }

    [Fact]
    public void The_assembly_offers_the_gemini_and_veo_kinds()
    {
        var plugins = typeof(VeoPlugin).Assembly.GetExportedTypes().Where(static t => typeof(IPlatformPlugin).IsAssignableFrom(t))
            .Select(static t => ((IPlatformPlugin)Activator.CreateInstance(t)!).Kind).Order();

        Assert.Equal(["gemini", "veo"], plugins);
    }
}
