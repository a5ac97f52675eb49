using System.Security.Cryptography;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Platforms;

namespace Manifold.Host.Characters;

/// <summary>
/// Characters as clients see them: Manifold's ids, kept per licence. New characters go to the platform's own
/// <see cref="IVideoCharactersAdapter"/> (which speaks upstream ids) and are recorded with the account that made them; a
/// read goes to that account. The seeds' clip endpoint cuts the clip first, then creates the character the same way. One
/// instance serves one request, for one caller and one platform.
/// </summary>
internal sealed class CharacterTaskAdapter(
    VideoCharacters characters, PlatformEntry entry, IVideoCharactersAdapter? platform, VideoCharacterRecord? character, long? licenceId, string publicBase)
    : IVideoCharactersAdapter, ICharacterClipsAdapter
{
    private const int MaxName = 80;

    public async Task<VideoCharacter> CreateVideoCharacterAsync(CreateVideoCharacterForm request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        CheckName(request.Name, "name");
        if (files.First("video") is not { } video)
        {
            throw new ManifoldException(400, "invalid_request_error", "Missing required parameter: 'video'.", "video", "missing_required_parameter");
        }
        var source = JsonSerializer.Serialize(new { upload = video.FileName, bytes = video.Length });
        var record = await CreateAsync(request, files, source, context, cancellationToken).ConfigureAwait(false);
        return new VideoCharacter { Id = record.Id, Name = record.Name, CreatedAt = record.CreatedAt.ToUnixTimeSeconds() };
    }

    /// <summary>Read through to the account that made it, so a character the upstream no longer has is a 404 here too.</summary>
    public async Task<VideoCharacter> GetVideoCharacterAsync(string characterId, AdapterContext context, CancellationToken cancellationToken)
    {
        var known = character ?? throw new InvalidOperationException("This call needs the character its id names.");
        VideoCharacter upstream;
        try
        {
            upstream = await Platform.GetVideoCharacterAsync(known.UpstreamId, context, cancellationToken).ConfigureAwait(false);
        }
        catch (UpstreamException ex) when (ex.StatusCode == 404)
        {
            // The upstream's message names its own id; the client knows only Manifold's.
            throw new ManifoldException(404, "invalid_request_error", $"Character '{known.Id}' no longer exists on platform '{entry.Name}'.", code: "not_found");
        }
        return new VideoCharacter { Id = known.Id, Name = upstream.Name ?? known.Name, CreatedAt = known.CreatedAt.ToUnixTimeSeconds() };
    }

    /// <summary>
    /// The seeds' clip: checks what it can before any download (one source, the timestamps' form, the name), copies the
    /// source to a temporary file, checks the clip lies within it, cuts it, and creates the character from the clip. The
    /// files are deleted whatever happens; a retry on another account starts again from the source.
    /// </summary>
    public async Task<CharacterFromClip> CreateCharacterFromClipAsync(CreateCharacterFromClipRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        _ = Platform;
        if (string.IsNullOrEmpty(request.Url) == string.IsNullOrEmpty(request.FromTask))
        {
            throw new ManifoldException(400, "invalid_request_error", "Send exactly one of 'url' and 'from_task'.", string.IsNullOrEmpty(request.Url) ? "url" : "from_task", "invalid_value");
        }
        var timestamps = ClipTimestamps.Parse(request.Timestamps);
        var name = request.Username ?? request.Name;
        var field = request.Username is null ? "name" : "username";
        if (name is null)
        {
            name = "char" + RandomNumberGenerator.GetHexString(10, lowercase: true);
        }
        CheckName(name, field);
        if (name.Any(char.IsWhiteSpace))
        {
            throw new ManifoldException(400, "invalid_request_error", $"'{field}' may not contain spaces: prompts mention it as @{field}.", field, "invalid_value");
        }

        var folder = Path.Combine(Path.GetTempPath(), "manifold-clip-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var sourcePath = Path.Combine(folder, "source");
            var clipPath = Path.Combine(folder, "clip.mp4");
            await characters.Clips.CopyAsync(request.Url, request.FromTask, licenceId, sourcePath, cancellationToken).ConfigureAwait(false);
            timestamps.CheckWithin(await characters.Ffmpeg.DurationAsync(sourcePath, cancellationToken).ConfigureAwait(false));
            await characters.Ffmpeg.CutAsync(sourcePath, timestamps, clipPath, cancellationToken).ConfigureAwait(false);
            File.Delete(sourcePath);

            var clip = new FilePart("video", "clip.mp4", "video/mp4", new FileInfo(clipPath).Length, clipPath);
            var source = JsonSerializer.Serialize(new { url = request.FromTask is null ? Redacted(request.Url!) : null, from_task = request.FromTask, timestamps = timestamps.ToString() });
            var record = await CreateAsync(new CreateVideoCharacterForm { Name = name }, new FileParts([clip]), source, context, cancellationToken).ConfigureAwait(false);
            var picture = await ProfilePictureAsync(record, clipPath, Path.Combine(folder, "profile.jpg"), cancellationToken).ConfigureAwait(false);
            return new CharacterFromClip
            {
                Id = record.Id,
                Username = record.Name,
                Name = record.Name,
                CreatedAt = record.CreatedAt.ToUnixTimeSeconds(),
                Permalink = publicBase + "/v1/videos/characters/" + record.Id,
                ProfilePictureUrl = picture,
            };
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere: the temporary folder is the system's to clean.
            }
        }
    }

    /// <summary>
    /// The clip's first frame, kept in Manifold's storage, as a signed, expiring link (as the seeds' is). The character is
    /// made by then: a frame that cannot be taken or kept costs the caller only the picture (null), never the character.
    /// </summary>
    private async Task<string?> ProfilePictureAsync(VideoCharacterRecord record, string clipPath, string framePath, CancellationToken cancellationToken)
    {
        var key = record.Id + "/profile.jpg";
        try
        {
            await characters.Ffmpeg.FrameAsync(clipPath, framePath, cancellationToken).ConfigureAwait(false);
            await using var frame = File.OpenRead(framePath);
            await characters.Storage.SaveAsync(key, "image/jpeg", frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ManifoldException or IOException or Amazon.Runtime.AmazonServiceException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        return publicBase + characters.Links.PathFor(key);
    }

    private async Task<VideoCharacterRecord> CreateAsync(CreateVideoCharacterForm request, FileParts files, string source, AdapterContext context, CancellationToken cancellationToken)
    {
        // Manifold's routing field is not the API's.
        request.Model = null;
        var upstream = await Platform.CreateVideoCharacterAsync(request, files, context, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(upstream.Id))
        {
            throw new ManifoldException(502, "upstream_error", $"Platform '{entry.Name}' made the character but answered no id for it.", code: "bad_upstream_response");
        }
        var now = characters.Time.GetUtcNow();
        var record = new VideoCharacterRecord
        {
            Id = CharacterIds.New(),
            LicenceId = licenceId,
            Platform = entry.Name,
            AccountId = context.Account?.Id,
            UpstreamId = upstream.Id,
            Name = upstream.Name ?? request.Name!,
            CreatedAt = upstream.CreatedAt > 0 ? DateTimeOffset.FromUnixTimeSeconds(upstream.CreatedAt) : now,
            Source = source,
        };
        await characters.Store.InsertAsync(record, cancellationToken).ConfigureAwait(false);
        return record;
    }

    private IVideoCharactersAdapter Platform => platform
        ?? throw new ManifoldException(404, "invalid_request_error", $"Platform '{entry.Name}' (plugin '{entry.Settings.Plugin}') makes no characters.", code: "unsupported_endpoint");

    private static void CheckName(string? name, string field)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxName)
        {
            throw new ManifoldException(400, "invalid_request_error", $"'{field}' must be 1 to {MaxName} characters long.", field, "invalid_value");
        }
    }

    // A URL can carry credentials in its query or user info; the record keeps where it was, not how to get in.
    private static string Redacted(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new UriBuilder(uri) { UserName = "", Password = "", Query = "", Fragment = "" }.Uri.AbsoluteUri
            : "data:";
}
