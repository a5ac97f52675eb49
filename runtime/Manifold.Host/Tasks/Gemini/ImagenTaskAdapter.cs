using Manifold.Contracts;
using Manifold.Contracts.Gemini.Predict;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Host.Platforms;

namespace Manifold.Host.Tasks.Gemini;

/// <summary>
/// Imagen's <c>:predict</c> on every image platform: a synchronous generation through the Images task layer (the same
/// path as <c>POST /v1/images/generations</c>), answered as <c>predictions[{bytesBase64Encoded, mimeType}]</c>.
/// </summary>
internal sealed class ImagenTaskAdapter(MediaTasks tasks, PlatformEntry entry, long? licenceId, string publicBase) : IImagenPredictAdapter
{
    public async Task<PredictImagesResponse> PredictImagesAsync(string model, PredictImagesRequest request, AdapterContext context, CancellationToken cancellationToken)
    {
        var create = ImagenRequests.ToCreateImage(model, request, entry.Settings.Plugin);
        ImagesResponse answer;
        try
        {
            answer = await tasks.Wrap<IImagesAdapter>(entry, null, licenceId, publicBase)!.CreateImageAsync(create, context, cancellationToken).ConfigureAwait(false);
        }
        catch (ManifoldException ex) when (ex.StatusCode == 400 && ImagenRequests.GoogleParam(ex.Param) is { } google && google != ex.Param)
        {
            throw new ManifoldException(400, ex.Type, $"'{google}': {ex.Message}", google, ex.Code);
        }
        var type = "image/" + (answer.OutputFormat ?? create.OutputFormat ?? "png");
        return new PredictImagesResponse
        {
            Predictions = [.. (answer.Data ?? []).Where(static d => d.B64Json is not null).Select(d => new ImagenPrediction { BytesBase64Encoded = d.B64Json, MimeType = type })],
            Usage = answer.Usage,
            Images = answer.Data?.Count ?? 0,
        };
    }
}
