using Manifold.Contracts;
using Manifold.Contracts.Gemini.Predict;
using Manifold.Contracts.Gemini.Videos;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Gateway;
using Manifold.Host.Media;
using Manifold.Host.Platforms;
using Manifold.Host.Tasks.Gemini;
using Manifold.Host.Tasks.Images;
using Manifold.Host.Tasks.Videos;
using Manifold.Host.Metering;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Tasks;

/// <summary>
/// The durable-task layer every media API goes through. A platform's media adapter speaks in upstream ids; clients get
/// Manifold's ids, each a row that remembers the platform, account and upstream id, so a job is routed back by its id
/// alone, survives restarts, and its results are served from Manifold's storage. <see cref="Wrap{TAdapter}"/> puts a
/// platform's adapter behind that layer; <see cref="MediaTaskPoller"/> advances the jobs.
/// </summary>
public sealed class MediaTasks(
    ITaskStore store, IMediaStorage storage, GatewayRuntime runtime, TimeProvider time, IOptions<MediaTaskOptions> options, IOptions<MediaOptions> media,
    MediaLinks links, UsageQueue usage, global::Manifold.Host.Characters.VideoCharacters? characters = null, Webhooks.TaskWebhooks? webhooks = null)
{
    /// <summary>Characters, which a new video's prompt may mention (<see cref="global::Manifold.Host.Characters.VideoCharacters.CastAsync"/>); null when not registered.</summary>
    public global::Manifold.Host.Characters.VideoCharacters? Characters { get; } = characters;

    /// <summary>Where jobs' webhook events go (<see cref="TaskChanges"/>); null where no host set them up.</summary>
    public Webhooks.TaskWebhooks? Webhooks { get; } = webhooks;

    /// <summary>Where finished jobs are metered (<see cref="JobMetering"/>).</summary>
    public UsageQueue Usage { get; } = usage;

    /// <summary>Signed links to stored results.</summary>
    public MediaLinks Links { get; } = links;

    public ITaskStore Store { get; } = store;

    public IMediaStorage Storage { get; } = storage;

    public GatewayRuntime Runtime { get; } = runtime;

    public TimeProvider Time { get; } = time;

    public MediaTaskOptions Options { get; } = options.Value;

    public MediaOptions Media { get; } = media.Value;

    /// <summary>Stands for "Manifold itself" where a call touches no platform (a list of the caller's jobs).</summary>
    public PlatformEntry Local { get; } = new(new LocalPlatform(), new PlatformSettings { Name = "manifold", Plugin = "manifold" }, TimeProvider.System);

    /// <summary>Whether <typeparamref name="TAdapter"/> is a media API whose calls are tasks.</summary>
    public static bool IsTaskAdapter<TAdapter>() =>
        typeof(TAdapter) == typeof(IVideosAdapter) || typeof(TAdapter) == typeof(IImagesAdapter)
        || typeof(TAdapter) == typeof(IGeminiVideosAdapter) || typeof(TAdapter) == typeof(IImagenPredictAdapter)
        || global::Manifold.Host.Characters.VideoCharacters.Serves<TAdapter>();

    /// <summary>
    /// Whether <paramref name="platform"/> serves <typeparamref name="TAdapter"/> through the task layer alone: Google's
    /// video operations on every platform that makes videos, Imagen's predict on every one that makes images.
    /// </summary>
    public static bool ServesThrough<TAdapter>(IPlatform platform) =>
        (typeof(TAdapter) == typeof(IGeminiVideosAdapter) && platform is IVideosAdapter)
        || (typeof(TAdapter) == typeof(IImagenPredictAdapter) && platform is IImagesAdapter);

    /// <summary>
    /// The task layer in front of <paramref name="entry"/>'s adapter, for the caller <paramref name="licenceId"/>: for a new job
    /// (<paramref name="task"/> null) or one of its jobs. Null when <typeparamref name="TAdapter"/> is not a media API.
    /// </summary>
    /// <param name="publicBase">Where clients reach this gateway (scheme, host, path base), for links to stored results.</param>
    public TAdapter? Wrap<TAdapter>(PlatformEntry entry, MediaTask? task, long? licenceId, string publicBase = "")
        where TAdapter : class
    {
        if (typeof(TAdapter) == typeof(IVideosAdapter))
        {
            return (TAdapter)(object)new VideoTaskAdapter(this, entry, entry.Platform as IVideosAdapter, task, licenceId, publicBase);
        }
        if (typeof(TAdapter) == typeof(IImagesAdapter))
        {
            return (TAdapter)(object)new ImageTaskAdapter(this, entry, entry.Platform as IImagesAdapter, task, licenceId, publicBase);
        }
        if (global::Manifold.Host.Characters.VideoCharacters.Serves<TAdapter>() && Characters is not null)
        {
            // A new character (an existing one is resolved by its own id: EndpointCall.ResolveCharacterAsync).
            return Characters.Wrap<TAdapter>(entry, character: null, licenceId, publicBase);
        }
        if (typeof(TAdapter) == typeof(IGeminiVideosAdapter))
        {
            return (TAdapter)(object)new GeminiVideoTaskAdapter(this, entry, task, licenceId, publicBase);
        }
        if (typeof(TAdapter) == typeof(IImagenPredictAdapter))
        {
            return (TAdapter)(object)new ImagenTaskAdapter(this, entry, licenceId, publicBase);
        }
        return null;
    }

    /// <summary>The job failed for good, with a code and a message the client reads in its error.</summary>
    public MediaTask Fail(MediaTask job, string code, string message)
    {
        var now = Time.GetUtcNow();
        return job with { Status = MediaTaskStatus.Failed, ErrorCode = code, ErrorMessage = message, CompletedAt = now, UpdatedAt = now };
    }

    /// <summary>When the poller should look at a job next: soon at first, less often as it runs long.</summary>
    public DateTimeOffset NextPoll(MediaTask task, DateTimeOffset now)
    {
        var age = now - task.CreatedAt;
        var factor = age < TimeSpan.FromMinutes(2) ? 1 : age < TimeSpan.FromMinutes(10) ? 2 : age < TimeSpan.FromMinutes(30) ? 4 : 8;
        return now + Options.PollInterval * factor;
    }

    private sealed class LocalPlatform : IPlatform
    {
        public string Name => "manifold";

        public IReadOnlyList<string> DefaultModels => [];
    }
}
