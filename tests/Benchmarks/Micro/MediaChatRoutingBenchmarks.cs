using BenchmarkDotNet.Attributes;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.MediaChat;
using Manifold.Host.Platforms;

namespace Manifold.Benchmarks.Micro;

/// <summary>
/// What every chat request pays for media from chat: the check whether its model could be a media job
/// (<see cref="MediaChatModels.MayBeMedia"/>), on a gateway of platforms that also chat (openai, sandbox, claude) and on
/// one with a media-only platform (sora), where the name's options are read as well. An ordinary model must allocate
/// nothing on the first; the second reads the name (<see cref="MediaModelName.Parse"/>).
/// </summary>
[MemoryDiagnoser]
public class MediaChatRoutingBenchmarks
{
    private PlatformEntry[] _chatting = null!;
    private PlatformEntry[] _withSora = null!;

    [GlobalSetup]
    public void Setup()
    {
        var openai = Entry(new ChatAndImages("openai", ["gpt-*", "o3*", "gpt-image-*", "dall-e-*"]));
        var sandbox = Entry(new ChatImagesAndVideos("sandbox", ["sandbox-*"]));
        var claude = Entry(new ChatOnly("claude", ["claude-*"]));
        _chatting = [openai, claude, sandbox];
        _withSora = [openai, claude, sandbox, Entry(new VideosOnly("sora", ["sora-*"]))];
    }

    private static PlatformEntry Entry(IPlatform platform) =>
        new(platform, new PlatformSettings { Name = platform.Name, Plugin = platform.Name }, TimeProvider.System);

    [Benchmark(Baseline = true, Description = "ordinary chat model, platforms that chat")]
    public bool Ordinary() => MediaChatModels.MayBeMedia(_chatting, "gpt-4o-mini");

    [Benchmark(Description = "ordinary chat model, with a sora platform: + parse")]
    public bool OrdinaryWithSora() => MediaChatModels.MayBeMedia(_withSora, "gpt-4o-mini") && MediaModelName.Parse("gpt-4o-mini").HasOptions;

    [Benchmark(Description = "parse sora_video2-portrait-hd-15s")]
    public MediaModelName ParseAlias() => MediaModelName.Parse("sora_video2-portrait-hd-15s");

    private class ChatOnly(string name, string[] models) : IPlatform, IChatCompletionsAdapter
    {
        public string Name => name;

        public IReadOnlyList<string> DefaultModels => models;

        public Task<CreateChatCompletionResponse> CreateChatCompletionAsync(CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(CreateChatCompletionRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private class ChatAndImages(string name, string[] models) : ChatOnly(name, models), IImagesAdapter
    {
        public Task<ImagesResponse> CreateImageAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<ImageGenStreamEvent> CreateImageStreamAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<ImagesResponse> CreateImageEditAsync(CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ImageEditStreamEvent> CreateImageEditStreamAsync(CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class ChatImagesAndVideos(string name, string[] models) : ChatAndImages(name, models), IVideosAdapter
    {
        private readonly VideosOnly _videos = new(name, models);

        public Task<VideoList> ListVideosAsync(long limit, string order, string? after, AdapterContext context, CancellationToken cancellationToken) =>
            _videos.ListVideosAsync(limit, order, after, context, cancellationToken);

        public Task<Video> CreateVideoAsync(CreateVideoRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken) =>
            _videos.CreateVideoAsync(request, files, context, cancellationToken);

        public Task<Video> RetrieveVideoAsync(string videoId, bool detail, AdapterContext context, CancellationToken cancellationToken) =>
            _videos.RetrieveVideoAsync(videoId, detail, context, cancellationToken);

        public Task<DeletedVideo> DeleteVideoAsync(string videoId, AdapterContext context, CancellationToken cancellationToken) =>
            _videos.DeleteVideoAsync(videoId, context, cancellationToken);

        public Task<BinaryContent> RetrieveVideoContentAsync(string videoId, string variant, AdapterContext context, CancellationToken cancellationToken) =>
            _videos.RetrieveVideoContentAsync(videoId, variant, context, cancellationToken);

        public Task<Video> RemixVideoAsync(string videoId, RemixVideoRequest request, AdapterContext context, CancellationToken cancellationToken) =>
            _videos.RemixVideoAsync(videoId, request, context, cancellationToken);
    }

    private sealed class VideosOnly(string name, string[] models) : IPlatform, IVideosAdapter
    {
        public string Name => name;

        public IReadOnlyList<string> DefaultModels => models;

        public Task<VideoList> ListVideosAsync(long limit, string order, string? after, AdapterContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Video> CreateVideoAsync(CreateVideoRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Video> RetrieveVideoAsync(string videoId, bool detail, AdapterContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<DeletedVideo> DeleteVideoAsync(string videoId, AdapterContext context, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<BinaryContent> RetrieveVideoContentAsync(string videoId, string variant, AdapterContext context, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Video> RemixVideoAsync(string videoId, RemixVideoRequest request, AdapterContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
