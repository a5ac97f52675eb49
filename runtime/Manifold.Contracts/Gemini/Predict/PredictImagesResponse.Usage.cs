using System.Text.Json.Serialization;
using Manifold.Contracts.OpenAI.Images;

namespace Manifold.Contracts.Gemini.Predict;

/// <summary>
/// What the generation behind a <c>:predict</c> answer used, for metering. Imagen's answer has no usage field, so
/// neither is ever written to the client.
/// </summary>
public sealed partial class PredictImagesResponse
{
    /// <summary>The platform's token usage, where it reported one.</summary>
    [JsonIgnore]
    public ImageGenUsage? Usage { get; set; }

    /// <summary>How many images were made.</summary>
    [JsonIgnore]
    public int Images { get; set; }
}
