using System.Text.Json.Serialization;

namespace Manifold.Host.Metering.Prices;

/// <summary>
/// What a model costs, in the operator's currency: per million input and output tokens, per image, per second of video and
/// per request. <see cref="Model"/> is an exact name or a <c>prefix*</c>; an absent price is 0.
/// </summary>
public sealed record ModelPrice(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("input_per_million")] decimal? InputPerMillion = null,
    [property: JsonPropertyName("output_per_million")] decimal? OutputPerMillion = null,
    [property: JsonPropertyName("per_image")] decimal? PerImage = null,
    [property: JsonPropertyName("per_video_second")] decimal? PerVideoSecond = null,
    [property: JsonPropertyName("per_request")] decimal? PerRequest = null)
{
    [JsonIgnore]
    public bool IsPrefix => Model.EndsWith('*');

    /// <summary>The cost of <paramref name="record"/> at this price.</summary>
    public double CostOf(in UsageRecord record)
    {
        var cost = record.InputTokens * Rate(InputPerMillion) / 1_000_000
            + record.OutputTokens * Rate(OutputPerMillion) / 1_000_000
            + record.Images * Rate(PerImage)
            + record.VideoSeconds * Rate(PerVideoSecond);
        // A failed request is not charged for itself, only for whatever it used.
        return record.CountsRequest && !record.Failed ? cost + Rate(PerRequest) : cost;
    }

    private static double Rate(decimal? price) => price is { } value ? (double)value : 0;
}
