using System.Text.Json.Serialization;

namespace Manifold.Host.Tasks.Generations;

/// <summary>
/// What a job keeps of how it was asked for beyond the platform's request, inside its parameters (so no new column): the
/// seed's <c>action</c>, the webhook to tell and whether progress is wanted, and where the client reached the gateway (so
/// links in a webhook's body work from there). Absent on jobs made without any of it.
/// </summary>
internal sealed record TaskOrigin(
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("notify_hook")] string? NotifyHook,
    [property: JsonPropertyName("notify_progress")] bool NotifyProgress,
    [property: JsonPropertyName("public_base")] string? PublicBase)
{
    /// <summary>The JSON key it is kept under, in both video and image parameters.</summary>
    public const string Key = "origin";
}
