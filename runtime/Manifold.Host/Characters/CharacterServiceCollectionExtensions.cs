using Manifold.Host.Gateway;
using Manifold.Host.Media;
using Manifold.Host.Tasks;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Characters;

public static class CharacterServiceCollectionExtensions
{
    /// <summary>Registers video characters: their store, the clip cutter and source, and the layer in front of the platforms.</summary>
    public static IServiceCollection AddManifoldCharacters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CharacterOptions>().Bind(configuration.GetSection(CharacterOptions.SectionName));
        services.AddSingleton<ICharacterStore, SqlCharacterStore>();
        services.AddSingleton(static provider => new Ffmpeg(provider.GetRequiredService<IOptions<CharacterOptions>>().Value));
        services.AddSingleton(static provider => new ClipSource(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(GatewayServiceCollectionExtensions.ClientUrlsClientName),
            provider.GetRequiredService<ITaskStore>(),
            provider.GetRequiredService<IMediaStorage>(),
            provider.GetRequiredService<IOptions<CharacterOptions>>().Value));
        services.AddSingleton<VideoCharacters>();
        return services;
    }
}
