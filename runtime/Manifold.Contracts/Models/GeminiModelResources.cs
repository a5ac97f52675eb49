namespace Manifold.Contracts.Gemini;

/// <summary>
/// How the Gemini API names and describes models: as resources, <c>models/{id}</c>. Shared by the gemini plugin (its
/// upstream's names) and the host (model lists for Gemini clients from platforms that know models only by id).
/// </summary>
public static class GeminiModelResources
{
    public const string Prefix = "models/";

    /// <summary>
    /// The generation methods Manifold serves for every model it lists, named as Google lists them: <c>generateContent</c>
    /// stands for <c>streamGenerateContent</c> too.
    /// </summary>
    public static IReadOnlyList<string> ServedMethods { get; } = ["generateContent", "countTokens"];

    /// <summary>The resource name of model <paramref name="id"/>: <c>models/{id}</c>.</summary>
    public static string Name(string id) => id.StartsWith(Prefix, StringComparison.Ordinal) ? id : Prefix + id;

    /// <summary>The model id in a resource name or a path: without <c>models/</c> (also when a client escaped its slash as <c>%2F</c>).</summary>
    public static string IdOf(string name)
    {
        if (name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return name[Prefix.Length..];
        }
        const string Escaped = "models%2F";
        return name.StartsWith(Escaped, StringComparison.OrdinalIgnoreCase) ? name[Escaped.Length..] : name;
    }

    /// <summary>
    /// A model known only by its id (an operator's configured name, another platform's model), as a Gemini Model. Google
    /// requires a version; such a model has none of its own, so its id stands in, as it does for the base model to generate with.
    /// </summary>
    public static Model Describe(string id) => new()
    {
        Name = Name(id),
        BaseModelId = IdOf(id),
        Version = IdOf(id),
        DisplayName = IdOf(id),
        SupportedGenerationMethods = [.. ServedMethods],
    };
}
