using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Contracts.OpenAI.Videos;
using Manifold.Host.Endpoints;
using Manifold.Host.Gateway;
using Manifold.Host.Protocols;
using Manifold.Host.Tasks.Images;
using Manifold.Host.Tasks.Videos;
using Manifold.Host.Webhooks;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// Seed 002's unified task API, <c>POST /v2/{videos|images}/generations</c> and <c>GET …/{task_id}</c>, at the root (the
/// model picks the platform) and under <c>/{platform}</c>. Written by hand over the task layer, not generated from a spec:
/// its body is the seeds' loose union and every field is mapped per platform kind, so the handler is bespoke either way.
/// It still drives the one request path generated handlers do (<see cref="EndpointCall"/>: the licence and its policy,
/// limits, account picking and retries, metering, errors in OpenAI's shape), and a /v2 task is the same durable job
/// <c>/v1/videos</c> and async <c>/v1/images</c> make: its id, row, poller, storage and metering.
/// </summary>
internal static class GenerationEndpoints
{
    private const string Protocol = "openai";
    private const string Adapter = "Generations";

    private static readonly OperationDescriptor s_createVideo = new(
        "createVideoGeneration", Protocol, Adapter, "POST", "/v2/videos/generations",
        "Create a video task (seed 002's unified task API); answers its task_id.", typeof(GenerationRequest), typeof(GenerationCreated), null);

    private static readonly OperationDescriptor s_createImage = new(
        "createImageGeneration", Protocol, Adapter, "POST", "/v2/images/generations",
        "Create an image task (seed 002's unified task API); answers its task_id.", typeof(GenerationRequest), typeof(GenerationCreated), null);

    private static readonly QueryParameter[] s_detail = [new("detail", "boolean", false, "true adds the job's metadata, with its webhook deliveries, as detail.")];

    private static readonly OperationDescriptor s_retrieveVideo = new(
        "retrieveVideoGeneration", Protocol, Adapter, "GET", "/v2/videos/generations/{task_id}",
        "Read a video task as seed 002's task object.", null, typeof(GenerationTask), null) { Query = s_detail };

    private static readonly OperationDescriptor s_retrieveImage = new(
        "retrieveImageGeneration", Protocol, Adapter, "GET", "/v2/images/generations/{task_id}",
        "Read an image task as seed 002's task object.", null, typeof(GenerationTask), null) { Query = s_detail };

    public static IEndpointRouteBuilder MapGenerations(this IEndpointRouteBuilder endpoints)
    {
        EndpointMapper.Map(endpoints, s_createVideo, CreateVideoAsync);
        EndpointMapper.Map(endpoints, s_createImage, CreateImageAsync);
        EndpointMapper.Map(endpoints, s_retrieveVideo, http => RetrieveAsync(http, s_retrieveVideo, MediaKinds.Video));
        EndpointMapper.Map(endpoints, s_retrieveImage, http => RetrieveAsync(http, s_retrieveImage, MediaKinds.Image));
        return endpoints;
    }

    private static async Task CreateVideoAsync(HttpContext http)
    {
        var call = new EndpointCall(http, s_createVideo);
        if (await call.ReadBodyAsync<GenerationRequest>() is not { } body || !await HookAcceptedAsync(call, http, body))
        {
            return;
        }
        var target = await call.ResolvePlatformAsync<IVideosAdapter>(body.Model);
        if (target is null)
        {
            return;
        }
        var model = target.Model ?? body.Model!;
        CreateVideoRequest request;
        ReferenceFiles? folder = null;
        var files = FileParts.None;
        try
        {
            request = VideoGenerationMapping.Map(body, target.Entry.Settings.Plugin, model);
            var images = GenerationFields.Strings(body.Images, "images");
            if (images.Count > 1)
            {
                throw GenerationFields.Invalid("images", $"A video takes one reference image; {images.Count} were sent.");
            }
            (folder, files) = await ReferenceFiles.LoadAsync(images, "input_reference", Guarded(http), http.RequestAborted);
        }
        catch (ManifoldException ex)
        {
            await call.WriteErrorAsync(ErrorInfo.From(ex));
            return;
        }
        using (folder)
        {
            ((VideoTaskAdapter)(object)target.Adapter).Origin = Origin(http, body, files.All.Count > 0 ? "image-to-video" : "text-to-video");
            if (await call.InvokeAsync(target, (adapter, context, ct) => adapter.CreateVideoAsync(request, files, context, ct)) is { } video)
            {
                await call.WriteJsonAsync(new GenerationCreated(video.Id));
            }
        }
    }

    private static async Task CreateImageAsync(HttpContext http)
    {
        var call = new EndpointCall(http, s_createImage);
        if (await call.ReadBodyAsync<GenerationRequest>() is not { } body || !await HookAcceptedAsync(call, http, body))
        {
            return;
        }
        var target = await call.ResolvePlatformAsync<IImagesAdapter>(body.Model);
        if (target is null)
        {
            return;
        }
        var model = target.Model ?? body.Model!;
        var kind = target.Entry.Settings.Plugin;
        var adapter = (ImageTaskAdapter)(object)target.Adapter;
        try
        {
            if (!ImageGenerationMapping.IsEdit(body))
            {
                var generation = ImageGenerationMapping.Generation(body, kind, model);
                adapter.Origin = Origin(http, body, "text-to-image");
                if (await call.InvokeAsync(target, (a, context, ct) => a.CreateImageAsync(generation, context, ct)) is { } created)
                {
                    await call.WriteJsonAsync(new GenerationCreated(created.Id!));
                }
                return;
            }
            var edit = ImageGenerationMapping.Edit(body, kind, model);
            var (folder, files) = await ReferenceFiles.LoadAsync(GenerationFields.Strings(body.Images, "images"), "image", Guarded(http), http.RequestAborted);
            using (folder)
            {
                adapter.Origin = Origin(http, body, "image-to-image");
                if (await call.InvokeAsync(target, (a, context, ct) => a.CreateImageEditAsync(edit, files, context, ct)) is { } created)
                {
                    await call.WriteJsonAsync(new GenerationCreated(created.Id!));
                }
            }
        }
        catch (ManifoldException ex)
        {
            await call.WriteErrorAsync(ErrorInfo.From(ex));
        }
    }

    /// <summary>
    /// Any media job of the caller's, as seed 002's task object. A video is read through to its platform first (as
    /// <c>GET /v1/videos/{id}</c> does), so polling here moves it as polling there does.
    /// </summary>
    private static async Task RetrieveAsync(HttpContext http, OperationDescriptor operation, string kind)
    {
        var call = new EndpointCall(http, operation);
        var query = call.Query();
        var detail = query.Boolean("detail", false);
        if (await query.FailedAsync())
        {
            return;
        }
        var id = call.RouteValue("task_id");
        var tasks = http.RequestServices.GetRequiredService<MediaTasks>();
        if (!id.StartsWith(MediaTaskIds.Prefix(kind), StringComparison.Ordinal))
        {
            // Another kind's id (or none of Manifold's): the same 404 as an unknown one, so ids reveal nothing.
            await call.WriteErrorAsync(ErrorInfo.NotFound($"No job with id '{id}' was found.", code: "not_found"));
            return;
        }
        if (kind == MediaKinds.Video)
        {
            if (await call.ResolveTaskAsync<IVideosAdapter>(id) is not { } video
                || await call.InvokeAsync(video, (adapter, context, ct) => adapter.RetrieveVideoAsync(id, detail: false, context, ct)) is null)
            {
                return;
            }
        }
        else if (await call.ResolveTaskAsync<IImagesAdapter>(id) is null)
        {
            return;
        }
        if (await tasks.Store.GetAsync(id, http.RequestAborted) is not { } job)
        {
            await call.WriteErrorAsync(ErrorInfo.NotFound($"No job with id '{id}' was found.", code: "not_found"));
            return;
        }
        var publicBase = PublicBase(http);
        var details = detail ? TaskDetails.For(job, tasks, publicBase, await tasks.WebhookRecordAsync(job, http.RequestAborted)) : (System.Text.Json.JsonElement?)null;
        await call.WriteJsonAsync(GenerationTask.From(job, tasks, publicBase, details));
    }

    /// <summary>A <c>notify_hook</c> is checked now, so a hook that can never be called is the caller's 400, not a silent failure later.</summary>
    private static async Task<bool> HookAcceptedAsync(EndpointCall call, HttpContext http, GenerationRequest body)
    {
        if (body.NotifyHook is not { Length: > 0 } hook)
        {
            return true;
        }
        try
        {
            var allowPrivate = http.RequestServices.GetRequiredService<IConfiguration>().GetValue<bool>("Manifold:Network:AllowPrivateAddresses");
            await WebhookUrls.CheckAsync(hook, "notify_hook", allowPrivate, http.RequestAborted);
            return true;
        }
        catch (ManifoldException ex)
        {
            await call.WriteErrorAsync(ErrorInfo.From(ex));
            return false;
        }
    }

    private static TaskOrigin Origin(HttpContext http, GenerationRequest body, string action) =>
        new(action, body.NotifyHook is { Length: > 0 } hook ? hook : null, body.NotifyProgress == true, PublicBase(http));

    private static HttpClient Guarded(HttpContext http) =>
        http.RequestServices.GetRequiredService<IHttpClientFactory>().CreateClient(GatewayServiceCollectionExtensions.ClientUrlsClientName);

    private static string PublicBase(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
