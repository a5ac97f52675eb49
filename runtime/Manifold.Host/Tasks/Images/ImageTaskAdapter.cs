using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Host.Media;
using Manifold.Host.Platforms;
using Manifold.Host.Tasks.Videos;

namespace Manifold.Host.Tasks.Images;

/// <summary>
/// OpenAI Images in front of a platform's adapter. Answers pass through, except:
/// <list type="bullet">
/// <item><c>response_format: url</c>: the platform is asked for base64 (GPT image models only answer base64), each image is
/// kept in Manifold's storage as a finished image job (so retention deletes it), and its <c>url</c> is a signed, expiring
/// link to Manifold, never to the upstream.</item>
/// <item>The seeds' <c>async: true</c> (body or query): the request and its files are kept as a queued image job and the
/// answer is the task; <see cref="ImageJobs"/> runs it in the background and <c>GET /v1/images/{task_id}</c> reads it.</item>
/// </list>
/// </summary>
internal sealed class ImageTaskAdapter(MediaTasks tasks, PlatformEntry entry, IImagesAdapter? platform, MediaTask? task, long? licenceId, string publicBase)
    : IImagesAdapter
{
    private const string Url = "url";
    private const string TaskObject = "image.task";

    /// <summary>How a new async job was asked for beyond the request (the /v2 API's action, a webhook); kept with the job.</summary>
    public Generations.TaskOrigin? Origin { get; set; }

    public async Task<ImagesResponse> CreateImageAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        if (TakeAsync(request.Async, () => request.Async = null))
        {
            Origin ??= await Generations.V1Hooks.TakeAsync(tasks, request.AdditionalProperties, publicBase, cancellationToken).ConfigureAwait(false);
            var clientFormat = request.ResponseFormat;
            request.ResponseFormat = Base64For(request.Model);
            return await SubmitAsync(ImageJobParameters.Generate, request.Model, request.Prompt, clientFormat, ImageJobParameters.Serialize(request), FileParts.None, cancellationToken)
                .ConfigureAwait(false);
        }
        if (request.ResponseFormat != Url)
        {
            return await Platform.CreateImageAsync(request, context, cancellationToken).ConfigureAwait(false);
        }
        request.ResponseFormat = Base64For(request.Model);
        var answer = await Platform.CreateImageAsync(request, context, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(ImageJobParameters.Generate, answer, request.Model, request.Prompt, context, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImagesResponse> CreateImageEditAsync(CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        request.UseOpenAIForms();
        if (TakeAsync(request.Async, () => request.Async = null))
        {
            Origin ??= await Generations.V1Hooks.TakeAsync(tasks, request.AdditionalProperties, publicBase, cancellationToken).ConfigureAwait(false);
            var clientFormat = request.ResponseFormat;
            request.ResponseFormat = Base64For(request.Model);
            return await SubmitAsync(ImageJobParameters.Edit, request.Model, request.Prompt, clientFormat, ImageJobParameters.Serialize(request), files, cancellationToken)
                .ConfigureAwait(false);
        }
        if (request.ResponseFormat != Url)
        {
            return await Platform.CreateImageEditAsync(request, files, context, cancellationToken).ConfigureAwait(false);
        }
        request.ResponseFormat = Base64For(request.Model);
        var answer = await Platform.CreateImageEditAsync(request, files, context, cancellationToken).ConfigureAwait(false);
        return await StoreAsync(ImageJobParameters.Edit, answer, request.Model, request.Prompt, context, cancellationToken).ConfigureAwait(false);
    }

    // Streams carry base64 partial images by design: there is nothing to store or link, and nothing to run later.
    public IAsyncEnumerable<ImageGenStreamEvent> CreateImageStreamAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        NotWithStream(request.Async);
        return Platform.CreateImageStreamAsync(request, context, cancellationToken);
    }

    public IAsyncEnumerable<ImageEditStreamEvent> CreateImageEditStreamAsync(
        CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        NotWithStream(request.Async);
        request.UseOpenAIForms();
        return Platform.CreateImageEditStreamAsync(request, files, context, cancellationToken);
    }

    /// <summary>An image task as the seeds answer it (id, object, model, status, created_at), with its images once made.</summary>
    public async Task<ImagesResponse> RetrieveImageTaskAsync(string taskId, bool detail, AdapterContext context, CancellationToken cancellationToken)
    {
        var job = task ?? throw new InvalidOperationException("This call needs the job its id names.");
        var answer = TaskObjectOf(job);
        var parameters = ImageJobParameters.FromJson(job.Parameters);
        if (job.Status == MediaTaskStatus.Completed)
        {
            if (job.ExpiresAt <= tasks.Time.GetUtcNow() || job.Results is null)
            {
                throw new ManifoldException(404, "invalid_request_error", $"The images of task '{job.Id}' have expired.", code: "content_not_found");
            }
            if (parameters.Answer is { } kept)
            {
                var made = kept.Deserialize<ImagesResponse>(ManifoldJson.Options);
                answer.Usage = made?.Usage;
                answer.Size = made?.Size;
                answer.Quality = made?.Quality;
                answer.Background = made?.Background;
                answer.OutputFormat = made?.OutputFormat;
            }
            answer.Data = await ImageResults.ReadAsync(tasks, StoredResult.FromJson(job.Results), parameters.ResponseFormat, publicBase, cancellationToken).ConfigureAwait(false);
        }
        if (detail)
        {
            answer.Detail = TaskDetails.For(job, tasks, publicBase, await tasks.WebhookRecordAsync(job, cancellationToken).ConfigureAwait(false));
        }
        return answer;
    }

    private IImagesAdapter Platform => platform
        ?? throw new ManifoldException(404, "invalid_request_error", $"Platform '{entry.Name}' (plugin '{entry.Settings.Plugin}') does not make images.", code: "unsupported_endpoint");

    /// <summary>DALL·E answers a URL unless asked for base64; GPT image models refuse the parameter and always answer base64.</summary>
    private static string? Base64For(string? model) => model?.StartsWith("dall-e", StringComparison.OrdinalIgnoreCase) == true ? "b64_json" : null;

    /// <summary>Whether the client asked for a task; either way Manifold's own field is cleared, so no platform ever gets it.</summary>
    private static bool TakeAsync(bool? value, Action clear)
    {
        clear();
        return value == true;
    }

    private static void NotWithStream(bool? async)
    {
        if (async == true)
        {
            throw new ManifoldException(400, "invalid_request_error", "'async' and 'stream' cannot both be true: a task is read later, a stream now.", "async");
        }
    }

    private ImagesResponse TaskObjectOf(MediaTask job) => new()
    {
        Created = job.CreatedAt.ToUnixTimeSeconds(),
        Id = job.Id,
        Object = TaskObject,
        Model = job.Model,
        Status = job.Status,
        Progress = job.Status == MediaTaskStatus.Completed ? 100 : job.Progress,
        CreatedAt = job.CreatedAt.ToUnixTimeSeconds(),
        CompletedAt = job.CompletedAt?.ToUnixTimeSeconds(),
        ExpiresAt = job.ExpiresAt?.ToUnixTimeSeconds(),
        Error = job.Status == MediaTaskStatus.Failed
            ? new ImageTaskError { Code = job.ErrorCode ?? "failed", Message = job.ErrorMessage ?? "The images could not be made." }
            : null,
    };

    /// <summary>
    /// Keeps the request and its files as a queued job and answers the task. Nothing reaches the platform yet: whatever it
    /// answers when the job runs, images or a refusal, is the task's result.
    /// </summary>
    private async Task<ImagesResponse> SubmitAsync(
        string operation, string? model, string? prompt, string? responseFormat, JsonElement request, FileParts files, CancellationToken cancellationToken)
    {
        _ = Platform;
        var now = tasks.Time.GetUtcNow();
        var id = MediaTaskIds.New(MediaKinds.Image);
        var inputs = new List<StoredInput>(files.All.Count);
        for (var i = 0; i < files.All.Count; i++)
        {
            var file = files.All[i];
            var key = MediaKeys.For(id, ImageJobParameters.InputsFolder + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var stream = file.OpenRead();
            await using (stream.ConfigureAwait(false))
            {
                await tasks.Storage.SaveAsync(key, file.ContentType, stream, cancellationToken).ConfigureAwait(false);
            }
            inputs.Add(new StoredInput(file.Name, file.FileName, file.ContentType, key));
        }
        var job = new MediaTask
        {
            Id = id,
            Kind = MediaKinds.Image,
            Platform = entry.Name,
            Model = model ?? "",
            LicenceId = licenceId,
            Status = MediaTaskStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
            Parameters = new ImageJobParameters { Prompt = prompt, Operation = operation, ResponseFormat = responseFormat, Request = request, Inputs = inputs, Origin = Origin }.ToJson(),
            NextPollAt = now,
        };
        await tasks.Store.InsertAsync(job, cancellationToken).ConfigureAwait(false);
        return TaskObjectOf(job);
    }

    private async Task<ImagesResponse> StoreAsync(string operation, ImagesResponse answer, string? model, string? prompt, AdapterContext context, CancellationToken cancellationToken)
    {
        var now = tasks.Time.GetUtcNow();
        var id = MediaTaskIds.New(MediaKinds.Image);
        var results = await ImageResults.SaveAsync(tasks, id, answer, cancellationToken).ConfigureAwait(false);
        foreach (var stored in results)
        {
            var image = answer.Data![int.Parse(stored.Variant, System.Globalization.CultureInfo.InvariantCulture)];
            image.B64Json = null;
            image.Url = publicBase + tasks.Links.PathFor(stored.Key);
        }
        await tasks.Store.InsertAsync(new MediaTask
        {
            Id = id,
            Kind = MediaKinds.Image,
            Platform = entry.Name,
            AccountId = context.Account?.Id,
            Model = model ?? "",
            LicenceId = licenceId,
            Status = MediaTaskStatus.Completed,
            Progress = 100,
            CreatedAt = now,
            UpdatedAt = now,
            StartedAt = now,
            CompletedAt = now,
            ExpiresAt = now + tasks.Media.Retention,
            Parameters = new ImageJobParameters { Prompt = prompt, Operation = operation, ResponseFormat = Url }.ToJson(),
            Results = StoredResult.ToJson(results),
            NextPollAt = now,
        }, cancellationToken).ConfigureAwait(false);
        return answer;
    }
}
