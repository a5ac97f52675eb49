using Manifold.Host.Media;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Tasks;

public static class TaskServiceCollectionExtensions
{
    /// <summary>Registers the durable media tasks: their store, the results' storage, the task layer and its poller.</summary>
    public static IServiceCollection AddManifoldTasks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaTaskOptions>().Bind(configuration.GetSection(MediaTaskOptions.SectionName));
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.SectionName))
            .PostConfigure(options => options.Path = Storage.DataFolder.Under(configuration, options.Path));
        services.AddSingleton<ITaskStore, SqlTaskStore>();
        services.AddSingleton<IMediaStorage>(static provider =>
        {
            var media = provider.GetRequiredService<IOptions<MediaOptions>>().Value;
            return media.Storage.ToLowerInvariant() switch
            {
                "local" => new LocalMediaStorage(Path.GetFullPath(media.Path)),
                "s3" => new S3MediaStorage(media.S3),
                _ => throw new InvalidOperationException($"Manifold__Media__Storage must be local or s3, not '{media.Storage}'."),
            };
        });
        services.AddHostedService<MediaStorageStartup>();
        services.AddSingleton<MediaLinks>();
        services.AddSingleton<Webhooks.WebhookSecret>();
        services.AddSingleton<Webhooks.WebhookDeliveryStore>();
        services.AddSingleton<Webhooks.TaskWebhooks>();
        services.AddHostedService<Webhooks.TaskWebhookDeliverer>();
        services.AddSingleton<MediaTasks>();
        services.AddHostedService<MediaTaskPoller>();
        return services;
    }
}
