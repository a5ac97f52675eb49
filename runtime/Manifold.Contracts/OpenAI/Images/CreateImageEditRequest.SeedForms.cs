namespace Manifold.Contracts.OpenAI.Images;

public sealed partial class CreateImageEditRequest
{
    /// <summary>
    /// Rewrites the seeds' JSON form of the images to edit (<see cref="Image"/>: an image URL or base64 string, or a list of
    /// them) as OpenAI's <see cref="Images"/> references, after any already there, so a platform only ever reads
    /// <see cref="Images"/>. The host's task layer calls it before any platform sees the request.
    /// </summary>
    public void UseOpenAIForms()
    {
        if (Image is not { } image)
        {
            return;
        }
        var values = image.StringValue is { } single ? [single] : image.ArrayValue ?? [];
        Images ??= [];
        for (var i = 0; i < values.Count; i++)
        {
            Images.Add(new ImageRefParam { ImageUrl = ImageData.ToUrl(values[i], values.Count == 1 && image.StringValue is not null ? "image" : $"image[{i}]") });
        }
        Image = null;
    }
}
