namespace Manifold.Contracts.OpenAI.Videos;

public sealed partial class CreateVideoRequest
{
    /// <summary>
    /// Rewrites the seeds' forms of <see cref="InputReference"/> (an image URL or base64 string, or a list of them) as
    /// OpenAI's object, so a platform only ever reads <c>InputReference.ObjectValue</c>. The host's task layer calls it
    /// before any platform sees the request. The platforms Manifold serves take one reference image per video, so a list
    /// of several is the caller's 400 rather than a silently dropped image.
    /// </summary>
    public void UseOpenAIForms()
    {
        if (InputReference is not { ObjectValue: null } reference)
        {
            return;
        }
        var values = reference.StringValue is { } single ? [single] : reference.ArrayValue ?? [];
        InputReference = values.Count switch
        {
            0 => null,
            1 => new CreateVideoRequestInputReference(new ImageReference { ImageUrl = ImageData.ToUrl(values[0], "input_reference") }),
            _ => throw new ManifoldException(400, "invalid_request_error",
                $"'input_reference' names {values.Count} images; a video takes one reference image.", "input_reference", "array_above_max_length"),
        };
    }
}
