using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Host.MediaChat;
using Manifold.Host.Metrics;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;
using Manifold.Host.Tasks;
using Manifold.Host.Tasks.Videos;
using Microsoft.AspNetCore.Http.Features;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Media from an ordinary chat request: a Chat Completions request for a video or image model (as
/// <see cref="MediaChatModels"/> decides) becomes a job through the same task layer as <c>/v1/videos</c> and
/// <c>/v1/images</c> (same rows, poller, storage, metering, owner), and the answer follows it: progress as
/// <c>reasoning_content</c> while it runs, then the result as markdown. The job belongs to the job layer from its
/// creation: a client that leaves, or a wait that runs out, leaves it running, readable by its id.
/// </summary>
public sealed partial class EndpointCall
{
    // How often a waiting request looks at its job's row, and how long a stream may stay silent: the poller moves the row.
    private static readonly TimeSpan MediaCheckInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MediaHeartbeat = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Serves the request when its model is a media model; true when it did (the answer, or a refusal, is written), false
    /// when the request is ordinary chat.
    /// </summary>
    private async ValueTask<bool> ServedAsMediaChatAsync(string? model, string[]? groups)
    {
        if (_body is not CreateChatCompletionRequest chat || string.IsNullOrEmpty(model) || FindMediaPlatform(model) is not { } found)
        {
            return false;
        }
        var (entry, name, kind) = found;
        RequestPlatform.Set(_http, entry);
        _meter?.Route(entry.Name, name.Model);
        if (PolicyRefusal(entry, name.Model) is { } refusal)
        {
            await WriteErrorAsync(refusal);
            return true;
        }
        if (RouteAccounts(groups, out var route) is { } invalid)
        {
            await WriteErrorAsync(invalid);
            return true;
        }
        var tasks = _http.RequestServices.GetRequiredService<MediaTasks>();
        OutputOptions output;
        Func<Task<(string? Id, ErrorInfo? Error)>> submit;
        try
        {
            output = RequestExtras.Take(chat.AdditionalProperties, QueryExtras());
            var prompt = MediaChatPrompt.From(chat);
            var (text, options) = PromptOptions.Take(prompt.Text, name);
            if (text.Length == 0)
            {
                throw new ManifoldException(400, "invalid_request_error", "The last user message has no prompt for the media model.", "messages");
            }
            submit = kind == MediaKinds.Video
                ? VideoJob(tasks, entry, route, VideoRequest(entry, name.Model, text, options, prompt.Images))
                : ImageJob(tasks, entry, route, name.Model, text, options, prompt.Images);
        }
        catch (ManifoldException ex)
        {
            await WriteErrorAsync(ErrorInfo.From(ex));
            return true;
        }

        var (id, error) = await submit();
        if (error is not null)
        {
            await FailAsync(error);
            return true;
        }
        var job = await tasks.Store.GetAsync(id!, CancellationToken.None);
        if (job is null)
        {
            await WriteErrorAsync(new ErrorInfo(StatusCodes.Status500InternalServerError, "server_error", $"Task '{id}' was made but cannot be read back."));
            return true;
        }
        _http.Response.Headers["x-manifold-task-id"] = job.Id;
        var answers = new MediaChatAnswers(job.Id, chat.Model ?? name.Model, tasks.Time.GetUtcNow().ToUnixTimeSeconds());
        try
        {
            if (chat.Stream == true)
            {
                await StreamMediaAsync(tasks, job, answers, output.SuppressReasoning, chat.StreamOptions?.IncludeUsage == true);
            }
            else
            {
                await AwaitMediaAsync(tasks, job, answers, output.SuppressReasoning);
            }
        }
        catch (Exception ex) when (Aborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client left; the job did not: it runs on, readable by its id.
            _meter?.Abandoned();
            _runtime.Log.ClientDisconnected(entry.Name, _operation.OperationId, ex.GetType().Name);
        }
        return true;
    }

    /// <summary>
    /// The platform that makes <paramref name="model"/> as a media job: the <c>{platform}</c> of the path, else the one whose
    /// models match best among those the licence may use. A name an operator lists exactly is taken as it is; otherwise
    /// its options (<see cref="MediaModelName"/>) are read off and the bare model routes.
    /// </summary>
    private (PlatformEntry Entry, MediaModelName Name, string Kind)? FindMediaPlatform(string model)
    {
        var registry = _runtime.Platforms;
        if (!MediaChatModels.MayBeMedia(registry.All, model))
        {
            return null;
        }
        var parsed = MediaModelName.Parse(model);
        if (HasPlatform)
        {
            if (!registry.TryGet(RouteValue(EndpointMapper.PlatformRouteValue), out var named))
            {
                return null;
            }
            var name = named.ListsExactly(model) ? new MediaModelName(model, MediaOrientation.Default, false, null) : parsed;
            return MediaChatModels.KindOf(named, name.Model) is { } kind ? (named, name, kind) : null;
        }
        var plain = new MediaModelName(model, MediaOrientation.Default, false, null);
        foreach (var entry in registry.All)
        {
            if (MayAsk(entry) && entry.ListsExactly(model) && MediaChatModels.KindOf(entry, model) is { } kind)
            {
                return (entry, plain, kind);
            }
        }
        PlatformEntry? best = null;
        string? bestKind = null;
        var bestScore = -1;
        foreach (var entry in registry.All)
        {
            var score = MayAsk(entry) ? entry.MatchModel(parsed.Model) : -1;
            if (score > bestScore && MediaChatModels.KindOf(entry, parsed.Model) is { } kind)
            {
                (best, bestKind, bestScore) = (entry, kind, score);
            }
        }
        return best is null ? null : (best, parsed, bestKind!);
    }

    private static CreateVideoRequest VideoRequest(PlatformEntry entry, string model, string text, MediaModelName options, IReadOnlyList<string> images)
    {
        if (Storyboard.Parse(text) is { } storyboard)
        {
            if (!MediaChatPlan.TakesStoryboards(entry))
            {
                throw new ManifoldException(400, "invalid_request_error",
                    $"The prompt is a storyboard ({storyboard.Shots.Count} shots), and platform '{entry.Name}' ({entry.Settings.Plugin}) cannot make one: its "
                    + "upstream API takes one prompt for one shot. Send a single prompt.", "messages", "storyboard_not_supported");
            }
            // The whole storyboard's length, unless the model name says otherwise.
            options = options with { Seconds = options.Seconds ?? storyboard.TotalSeconds };
        }
        var (size, seconds) = MediaChatPlan.Video(entry, model, options);
        var request = new CreateVideoRequest { Model = model, Prompt = text, Size = size, Seconds = seconds };
        if (images.Count > 0)
        {
            // A video takes one reference image: the first. It reaches the platform as /v1/videos's would (Veo fetches a URL
            // through the guard against internal addresses).
            request.InputReference = JsonSerializer.Deserialize<CreateVideoRequestInputReference>(JsonSerializer.Serialize(images[0]), ManifoldJson.Options);
        }
        return request;
    }

    private Func<Task<(string?, ErrorInfo?)>> VideoJob(MediaTasks tasks, PlatformEntry entry, Accounts.AccountRoute route, CreateVideoRequest request) => async () =>
    {
        var adapter = tasks.Wrap<IVideosAdapter>(entry, task: null, LicenceId, PublicBase)!;
        var outcome = await _runtime.Invoker.InvokeAsync(entry, adapter, (a, context, ct) => a.CreateVideoAsync(request, FileParts.None, context, ct),
            _http.TraceIdentifier, _operation.OperationId, Aborted, route: route);
        _meter?.Dispatched(outcome.Context.Account?.Id);
        return (outcome.Value?.Id, outcome.Error);
    };

    private Func<Task<(string?, ErrorInfo?)>> ImageJob(
        MediaTasks tasks, PlatformEntry entry, Accounts.AccountRoute route, string model, string text, MediaModelName options, IReadOnlyList<string> images)
    {
        var (size, quality) = MediaChatPlan.Image(model, options);
        return async () =>
        {
            var adapter = tasks.Wrap<IImagesAdapter>(entry, task: null, LicenceId, PublicBase)!;
            var outcome = images.Count == 0
                ? await _runtime.Invoker.InvokeAsync(entry, adapter, (a, context, ct) => a.CreateImageAsync(
                        new CreateImageRequest { Model = model, Prompt = text, Size = size, Quality = quality, ResponseFormat = "url", Async = true }, context, ct),
                    _http.TraceIdentifier, _operation.OperationId, Aborted, route: route)
                : await _runtime.Invoker.InvokeAsync(entry, adapter, (a, context, ct) => a.CreateImageEditAsync(
                        new CreateImageEditRequest
                        {
                            Model = model, Prompt = text, Size = size, Quality = quality, ResponseFormat = "url", Async = true,
                            Images = images.Select(static url => new ImageRefParam { ImageUrl = url }).ToList(),
                        }, FileParts.None, context, ct),
                    _http.TraceIdentifier, _operation.OperationId, Aborted, route: route);
            _meter?.Dispatched(outcome.Context.Account?.Id);
            return (outcome.Value?.Id, outcome.Error);
        };
    }

    /// <summary>The non-streaming answer: the result once the job ends, or, past the configured wait, where to poll it.</summary>
    private async Task AwaitMediaAsync(MediaTasks tasks, MediaTask job, MediaChatAnswers answers, bool hideReasoning)
    {
        var started = tasks.Time.GetUtcNow();
        var deadline = started + tasks.Media.ChatWaitTimeout;
        // A stopping gateway past its drain timeout answers early, as past the wait: where to poll the job, which goes on.
        while (!job.IsTerminal && tasks.Time.GetUtcNow() < deadline && !_runtime.Drain.HasEnded)
        {
            await Task.Delay(MediaCheckInterval, tasks.Time, Aborted);
            job = await tasks.Store.GetAsync(job.Id, Aborted) ?? job;
        }
        var reasoning = hideReasoning ? null : MediaChatProgress.Started(job) + MediaChatProgress.Line(job, tasks.Time.GetUtcNow() - started);
        if (job.Status == MediaTaskStatus.Failed)
        {
            await WriteErrorAsync(JobFailure(job));
            return;
        }
        var content = job.Status == MediaTaskStatus.Completed ? ResultMarkdown(tasks, job) : NotYet(job);
        await WriteJsonAsync(answers.Completion(content, reasoning));
    }

    /// <summary>
    /// The streamed answer: the role, the job's id, then a progress line whenever it moves and at least every
    /// <see cref="MediaHeartbeat"/>, the result, the finish, the usage when asked, and <c>[DONE]</c>. With progress
    /// hidden, SSE comments keep the connection alive instead.
    /// </summary>
    private async Task StreamMediaAsync(MediaTasks tasks, MediaTask job, MediaChatAnswers answers, bool hideReasoning, bool includeUsage)
    {
        var response = _http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        var framing = _protocol.BeginStream(_http.Request);
        response.ContentType = framing.ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        _http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var output = response.BodyWriter;
        using var json = new Utf8JsonWriter(output, ManifoldJson.WriterOptions);
        framing.WriteStart(output);

        var started = tasks.Time.GetUtcNow();
        framing.WriteEvent(output, json, answers.Role());
        if (!hideReasoning)
        {
            framing.WriteEvent(output, json, answers.Reasoning(MediaChatProgress.Started(job)));
        }
        var reported = (Status: "", Progress: -1);
        var lastSent = DateTimeOffset.MinValue;
        while (true)
        {
            var now = tasks.Time.GetUtcNow();
            if (job.IsTerminal)
            {
                break;
            }
            if (_runtime.Drain.HasEnded)
            {
                // A stopping gateway's drain timeout has passed: the stream ends with an error event, the durable job goes on.
                var stopping = ProtocolResponses.WithRequestId(_http, _protocol, ShuttingDown with
                {
                    Message = $"The gateway is shutting down and its drain timeout (Manifold__Gateway__DrainTimeout) has passed; the job goes on as task {job.Id}.",
                });
                _meter?.StreamFailed(stopping.Code!);
                framing.WriteStreamError(output, json, stopping);
                await output.FlushAsync(Aborted);
                return;
            }
            if ((job.Status, job.Progress) != reported || now - lastSent >= MediaHeartbeat)
            {
                if (hideReasoning)
                {
                    output.Write(": working\n\n"u8);
                }
                else
                {
                    framing.WriteEvent(output, json, answers.Reasoning(MediaChatProgress.Line(job, now - started)));
                }
                if ((await output.FlushAsync(Aborted)).IsCompleted)
                {
                    _meter?.Abandoned();
                    return;
                }
                (reported, lastSent) = ((job.Status, job.Progress), now);
            }
            await Task.Delay(MediaCheckInterval, tasks.Time, Aborted);
            job = await tasks.Store.GetAsync(job.Id, Aborted) ?? job;
        }
        if (job.Status == MediaTaskStatus.Failed)
        {
            var error = ProtocolResponses.WithRequestId(_http, _protocol, JobFailure(job));
            _meter?.StreamFailed(error.Code ?? error.Type);
            framing.WriteStreamError(output, json, error);
            await output.FlushAsync(Aborted);
            return;
        }
        if (!hideReasoning)
        {
            framing.WriteEvent(output, json, answers.Reasoning(MediaChatProgress.Line(job, tasks.Time.GetUtcNow() - started)));
        }
        framing.WriteEvent(output, json, answers.Content(ResultMarkdown(tasks, job)));
        framing.WriteEvent(output, json, answers.Finish());
        if (includeUsage)
        {
            framing.WriteEvent(output, json, answers.UsageChunk());
        }
        framing.WriteStreamEnd(output);
        await output.FlushAsync(Aborted);
    }

    /// <summary>The finished job's files as markdown, each a signed link that works without a licence until it expires.</summary>
    private string ResultMarkdown(MediaTasks tasks, MediaTask job)
    {
        var results = StoredResult.FromJson(job.Results);
        if (job.Kind == MediaKinds.Video)
        {
            var video = results.FirstOrDefault(static r => r.Variant == "video") ?? results[0];
            return MediaChatAnswers.VideoMarkdown(job.Id, PublicBase + tasks.Links.PathFor(video.Key));
        }
        return MediaChatAnswers.ImagesMarkdown(results.Select(r => PublicBase + tasks.Links.PathFor(r.Key)));
    }

    private static string NotYet(MediaTask job) =>
        $"The {job.Kind} is not ready yet ({job.Status.Replace('_', ' ')}, {job.Progress}%). It is task {job.Id}: poll GET {MediaChatProgress.PollPath(job)} for it.";

    /// <summary>
    /// A failed job in Chat Completions' error shape: a 400 when the platform refused the content (as OpenAI answers a
    /// moderation block), else a 422, never a 5xx that SDKs would retry by making another job.
    /// </summary>
    private static ErrorInfo JobFailure(MediaTask job)
    {
        var code = job.ErrorCode ?? "failed";
        var refused = code is "moderation_blocked" or "content_filtered" or "content_policy_violation";
        return new ErrorInfo(refused ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
            refused ? "invalid_request_error" : "server_error", $"Task {job.Id} failed: {job.ErrorMessage ?? code}", null, code);
    }
}
