using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Contracts.Upstream;

namespace Manifold.Plugins.OpenAI;

/// <summary>
/// OpenAI's Images API, passed through: <c>POST {base}/images/generations</c> as JSON, <c>POST {base}/images/edits</c> as
/// the official SDK sends it (a multipart form: files streamed from the host's temporary copies with their names and
/// declared types, <c>image</c> or repeated <c>image[]</c>, and <c>mask</c>). An edit that names its images by reference
/// (<c>images: [{image_url}|{file_id}]</c>, the API's JSON form, which has no multipart encoding) goes as that JSON.
/// Streams (<c>stream: true</c>) are read event by event; an error inside one becomes an <see cref="UpstreamException"/>.
/// </summary>
internal sealed partial class OpenAIPlatform : IImagesAdapter
{
    public async Task<ImagesResponse> CreateImageAsync(CreateImageRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await Upstream.SendAsync(HttpMethod.Post, ImagesUri("generations"), UpstreamClient.JsonBody(request), Json, context, cancellationToken).ConfigureAwait(false);
        return await Upstream.ReadJsonAsync<ImagesResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ImageGenStreamEvent> CreateImageStreamAsync(
        CreateImageRequest request, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await Upstream.SendAsync(HttpMethod.Post, ImagesUri("generations"), UpstreamClient.JsonBody(request), EventStream, context, cancellationToken).ConfigureAwait(false);
        await foreach (var streamEvent in ReadEventsAsync<ImageGenStreamEvent>(response, context, cancellationToken).ConfigureAwait(false))
        {
            yield return streamEvent;
        }
    }

    public async Task<ImagesResponse> CreateImageEditAsync(CreateImageEditRequest request, FileParts files, AdapterContext context, CancellationToken cancellationToken)
    {
        using var response = await Upstream.SendAsync(HttpMethod.Post, ImagesUri("edits"), EditBody(request, files), Json, context, cancellationToken).ConfigureAwait(false);
        return await Upstream.ReadJsonAsync<ImagesResponse>(response, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<ImageEditStreamEvent> CreateImageEditStreamAsync(
        CreateImageEditRequest request, FileParts files, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await Upstream.SendAsync(HttpMethod.Post, ImagesUri("edits"), EditBody(request, files), EventStream, context, cancellationToken).ConfigureAwait(false);
        await foreach (var streamEvent in ReadEventsAsync<ImageEditStreamEvent>(response, context, cancellationToken).ConfigureAwait(false))
        {
            yield return streamEvent;
        }
    }

    private Uri ImagesUri(string operation) => UpstreamUri.Join(BaseUrl, "images/" + operation);

    /// <summary>
    /// The edit's body: the SDK's multipart form, unless the client named its images by reference in JSON (and sent no
    /// files), which only the JSON form can say. The caller's SendAsync owns (and disposes) the body, files included.
    /// </summary>
    private static HttpContent EditBody(CreateImageEditRequest request, FileParts files)
    {
        if (files.All.Count == 0 && request.Images is not null)
        {
            return UpstreamClient.JsonBody(request);
        }
        var form = new OpenAIForm();
        try
        {
            form.AddTextIfSet("prompt", request.Prompt);
            form.AddTextIfSet("model", request.Model);
            AddNumber(form, "n", request.N);
            form.AddTextIfSet("size", request.Size);
            form.AddTextIfSet("quality", request.Quality);
            form.AddTextIfSet("background", request.Background);
            form.AddTextIfSet("output_format", request.OutputFormat);
            AddNumber(form, "output_compression", request.OutputCompression);
            form.AddTextIfSet("moderation", request.Moderation);
            form.AddTextIfSet("input_fidelity", request.InputFidelity);
            form.AddTextIfSet("response_format", request.ResponseFormat);
            form.AddTextIfSet("user", request.User);
            if (request.Stream is { } stream)
            {
                form.AddText("stream", stream ? "true" : "false");
            }
            AddNumber(form, "partial_images", request.PartialImages);
            if (request.Mask is { } mask)
            {
                form.AddTextIfSet("mask[image_url]", mask.ImageUrl);
                form.AddTextIfSet("mask[file_id]", mask.FileId);
                form.AddAdditional(mask.AdditionalProperties, "mask");
            }
            // image (one) or repeated image[] (several), then mask: each with the client's file name and declared type.
            form.AddFiles(files);
            form.AddAdditional(request.AdditionalProperties);
            return form.Content;
        }
        catch
        {
            form.Dispose();
            throw;
        }
    }

    private static void AddNumber(OpenAIForm form, string name, long? value)
    {
        if (value is { } number)
        {
            form.AddText(name, number.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// An image stream's events, in order, until the upstream ends it. A failure after the 200 (an <c>error</c> event, a
    /// data event holding OpenAI's error object, or one of type <c>error</c>) is thrown, for the host to answer in the
    /// caller's protocol.
    /// </summary>
    private async IAsyncEnumerable<T> ReadEventsAsync<T>(HttpResponseMessage response, AdapterContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        await using var events = new UpstreamEventStream(response, Name, cancellationToken, doneMarker: "[DONE]");
        while (await events.NextEventAsync().ConfigureAwait(false) is { } sse)
        {
            using (var document = JsonDocument.Parse(sse.Data))
            {
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object)
                {
                    if (root.TryGetProperty("error", out var error) && error.ValueKind is JsonValueKind.Object or JsonValueKind.String)
                    {
                        throw OpenAIErrors.FromStreamError(error, Name, context.Account);
                    }
                    if (sse.Event == "error" || (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "error"))
                    {
                        throw OpenAIErrors.FromResponsesFailure(Text(root, "code"), Text(root, "message"), Text(root, "param"), Name, context.Account);
                    }
                }
            }
            yield return JsonSerializer.Deserialize<T>(sse.Data, ManifoldJson.Options)
                ?? throw new JsonException("A stream event held null instead of an event object.");
        }
    }

    private static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
