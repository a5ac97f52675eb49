using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Platforms;
using Manifold.Host.Tasks;

namespace Manifold.Host.MediaChat;

/// <summary>
/// The one place that decides whether a chat request for a model is a media job. A platform that makes videos or images
/// and has no chat at all (<c>sora</c>, <c>veo</c>) makes every model it serves that way. A platform that also chats
/// (<c>openai</c>, <c>sandbox</c>) does so only for its media-only model families (below); every other model stays chat,
/// so Gemini's image models, which answer <c>generateContent</c> with images natively, keep chatting.
/// </summary>
internal static class MediaChatModels
{
    // Models that make only images: a chat request for them is an image job.
    private static readonly string[] ImageFamilies = ["gpt-image-", "chatgpt-image", "dall-e-", "sandbox-image"];

    // Models that make only videos, on platforms that also chat.
    private static readonly string[] VideoFamilies = ["sora-", "veo-", "sandbox-video"];

    /// <summary><see cref="MediaKinds.Video"/>, <see cref="MediaKinds.Image"/>, or null when <paramref name="entry"/> chats with <paramref name="model"/>.</summary>
    public static string? KindOf(PlatformEntry entry, string model)
    {
        var platform = entry.Platform;
        var chats = platform is IChatCompletionsAdapter || entry.HubTarget is not null;
        if (platform is IVideosAdapter && (!chats || StartsWithAny(model, VideoFamilies)))
        {
            return MediaKinds.Video;
        }
        if (platform is IImagesAdapter && (!chats || StartsWithAny(model, ImageFamilies)))
        {
            return MediaKinds.Image;
        }
        return null;
    }

    /// <summary>
    /// Whether any of <paramref name="entries"/> could make <paramref name="model"/> as a media job, judged from the name as
    /// asked (options and aliases not yet read off): the check every chat request pays, so it allocates nothing, and an
    /// ordinary chat model on platforms that also chat is settled by a few prefix comparisons.
    /// </summary>
    public static bool MayBeMedia(IReadOnlyList<PlatformEntry> entries, string model)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var platform = entry.Platform;
            if (platform is not (IVideosAdapter or IImagesAdapter))
            {
                continue;
            }
            if (platform is not IChatCompletionsAdapter && entry.HubTarget is null)
            {
                // A media-only platform: its models are found once the name's options are read off.
                return true;
            }
            // Options come off the end, so a media family's name still starts the name; the seeds' aliases all start "sora".
            if (StartsWithAny(model, ImageFamilies) || StartsWithAny(model, VideoFamilies) || model.StartsWith("sora", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private static bool StartsWithAny(string model, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (model.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
