using Manifold.Contracts.Gemini;

namespace Manifold.Plugins.Gemini;

/// <summary>What the gemini plugin reads from Google's Model resources.</summary>
internal static class GeminiModelList
{
    /// <summary>
    /// Whether the model answers generateContent, the method this platform serves; embedding, image and other models are
    /// left out of its lists.
    /// </summary>
    public static bool GeneratesContent(Model model) => model.SupportedGenerationMethods?.Contains("generateContent") == true;
}
