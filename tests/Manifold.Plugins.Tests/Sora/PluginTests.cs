using System.Reflection;
using System.Runtime.Loader;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Contracts.Gemini;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Plugins.OpenAI;
using Manifold.Plugins.Tests.Fakes;

namespace Manifold.Plugins.Tests.Sora;

public sealed class PluginTests
{
    [Fact]
    public void The_sora_kind_serves_videos_and_nothing_else()
    {
        var plugin = new SoraPlugin();

        var platform = plugin.CreatePlatform(TestPlatforms.Settings("sora", baseUrl: null), TestPlatforms.Services());

        Assert.Equal("sora", plugin.Kind);
        Assert.Equal(TestPlatforms.PlatformName, platform.Name);
        Assert.Equal(["sora-*"], platform.DefaultModels);
        Assert.IsAssignableFrom<IVideosAdapter>(platform);
        // Media only: no text protocol, no model list (the host has no conversion target for it either).
        Assert.IsNotAssignableFrom<IChatCompletionsAdapter>(platform);
        Assert.IsNotAssignableFrom<IResponsesAdapter>(platform);
        Assert.IsNotAssignableFrom<IMessagesAdapter>(platform);
        Assert.IsNotAssignableFrom<IGenerateContentAdapter>(platform);
        Assert.IsNotAssignableFrom<IModelsAdapter>(platform);
    }

    [Fact]
    public async Task Without_a_base_url_it_calls_openais_videos_api()
    {
        var handler = new CapturingHandler(SoraPayloads.CompletedVideo);
        using var http = new HttpClient(handler);
        var platform = SoraFakes.Platform(baseUrl: null, http);

        await platform.RetrieveVideoAsync("video_123", detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(new Uri("https://api.openai.com/v1/videos/video_123"), handler.LastUri);
    }

    [Fact]
    public async Task A_base_url_with_a_trailing_slash_is_joined_as_one_without()
    {
        var handler = new CapturingHandler(SoraPayloads.CompletedVideo);
        using var http = new HttpClient(handler);
        var platform = SoraFakes.Platform(new Uri("https://videos.example.com/openai/v1/"), http);

        await platform.RetrieveVideoAsync("video_123", detail: false, TestPlatforms.Context(), CancellationToken.None);

        Assert.Equal(new Uri("https://videos.example.com/openai/v1/videos/video_123"), handler.LastUri);
    }

    /// <summary>
    /// The host's PluginLoader (runtime/Manifold.Host/Plugins) loads each plugin assembly into its own load context, sharing
    /// Manifold.Contracts with the host, and creates every exported, non-abstract IPlatformPlugin with a public parameterless
    /// constructor; kinds must be unique. This does the same with the plugin's built assembly.
    /// </summary>
    [Fact]
    public void The_plugin_assembly_offers_the_sora_kind_to_the_plugin_loader()
    {
        var path = typeof(SoraPlugin).Assembly.Location;
        var assembly = new IsolatedPluginContext(path).LoadFromAssemblyPath(path);

        var plugins = assembly.GetExportedTypes()
            .Where(static t => !t.IsAbstract && !t.ContainsGenericParameters && typeof(IPlatformPlugin).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(static t => (IPlatformPlugin)Activator.CreateInstance(t)!)
            .ToList();

        Assert.NotSame(typeof(SoraPlugin).Assembly, assembly);
        Assert.Equal(["openai", "openai-compatible", "sora"], plugins.Select(static p => p.Kind).Order(StringComparer.Ordinal));
        var sora = Assert.Single(plugins, static p => p.Kind == "sora");
        var platform = sora.CreatePlatform(TestPlatforms.Settings("sora", baseUrl: null), TestPlatforms.Services());
        // The host's own IVideosAdapter: the contracts are shared, not the plugin's copy.
        Assert.IsAssignableFrom<IVideosAdapter>(platform);
    }

    /// <summary>As the host's PluginLoadContext: the plugin in a context of its own, the contracts and the framework from the default one.</summary>
    private sealed class IsolatedPluginContext(string mainAssemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath))
    {
        protected override Assembly? Load(AssemblyName assemblyName) => null;
    }
}
