using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>The names the Gemini converters put in their 400s.</summary>
internal static class GeminiFields
{
    /// <summary>The protocol's name in messages.</summary>
    public const string DisplayName = "the Gemini API";

    /// <summary>
    /// Decoding a Gemini request happens only when the platform does not speak Gemini (a Gemini platform gets
    /// the request as it came), so a field without a hub equivalent is one that platform cannot carry.
    /// </summary>
    private const string OtherPlatform = "a platform that does not speak the Gemini API";

    /// <summary>A field of a Gemini request that no other protocol can carry.</summary>
    public static ConversionException Unsupported(string path, string? detail = null) =>
        ConversionException.Unsupported(path, OtherPlatform, detail);

    /// <summary>A field of a hub request (named as its source protocol usually spells it) that Gemini cannot express.</summary>
    public static ConversionException Inexpressible(string field, string? detail = null) =>
        ConversionException.Unsupported(field, DisplayName, detail);

    /// <summary>Unknown fields of a DTO, i.e. fields Manifold does not model: never dropped silently when converting.</summary>
    public static void RejectUnknown(IDictionary<string, System.Text.Json.JsonElement>? additionalProperties, string path)
    {
        if (additionalProperties is { Count: > 0 })
        {
            foreach (var name in additionalProperties.Keys)
            {
                throw Unsupported(path.Length == 0 ? name : path + "." + name);
            }
        }
    }
}
