using Manifold.Contracts.Gemini;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Conversion.Pipeline;

namespace Manifold.Conversion.Gemini;

/// <summary>The Gemini API as an inbound protocol (Gemini clients) and as a platform protocol (Gemini platforms).</summary>
public sealed class GeminiProtocol : IInboundProtocol, IPlatformProtocol
{
    public static GeminiProtocol Instance { get; } = new();

    private GeminiProtocol()
    {
    }

    public Type AdapterType => typeof(IGenerateContentAdapter);

    public string DisplayName => GeminiFields.DisplayName;

    /// <summary>
    /// A model suffix becomes <c>generationConfig.thinkingConfig</c>, replacing the body's own budget or level.
    /// The body has no model: the host sends the suffix-free model in the URL. The body keeps the client's
    /// <c>includeThoughts</c> unless the suffix says (<c>-thinking</c> asks for thoughts). A countTokens request gets the
    /// same in its <c>generateContentRequest</c>, when it has one (bare <c>contents</c> have no settings to count).
    /// </summary>
    public OutputOptions Prepare(object request, ModelSuffix? suffix, OutputOptions fromQuery)
    {
        switch (request)
        {
            case GenerateContentRequest generate:
                ApplySuffix(generate, suffix);
                return RequestExtras.Take(generate.AdditionalProperties, fromQuery);
            case CountTokensRequest count:
                if (count.GenerateContentRequest is { } whole)
                {
                    ApplySuffix(whole, suffix);
                }
                return RequestExtras.Take(count.AdditionalProperties, fromQuery);
            default:
                throw new ArgumentException($"Not a Gemini request: {request.GetType().Name}.", nameof(request));
        }
    }

    private static void ApplySuffix(GenerateContentRequest body, ModelSuffix? suffix)
    {
        if (suffix is null)
        {
            return;
        }
        var config = body.GenerationConfig ??= new GenerationConfig();
        var current = config.ThinkingConfig;
        var thinking = GeminiThinking.Encode(suffix.Reasoning, suffix.Model, impliedThoughts: false, current?.IncludeThoughts);
        thinking.AdditionalProperties = current?.AdditionalProperties;
        config.ThinkingConfig = thinking;
    }

    public object CreateBridge(IHubTarget target, IHubTokenCounter? counter, OutputOptions output) => new GeminiBridge(target, counter, output);

    public IHubTokenCounter CreateCounter(object adapter) => new GeminiCounter((IGenerateContentAdapter)adapter);

    /// <summary>Hides thoughts for <c>close_reasoning_content</c>; a token count (the adapter's other answer) has none and passes unchanged.</summary>
    public object FilterResponse(object response, OutputOptions output)
    {
        if (output.SuppressReasoning && response is GenerateContentResponse generated)
        {
            GeminiReasoningFilter.Strip(generated);
        }
        return response;
    }

    /// <summary>This protocol's filtering needs no per-stream state: every chunk goes through <see cref="FilterChunk"/>.</summary>
    public Func<object, object?> CreateChunkFilter(OutputOptions output) => chunk => FilterChunk(chunk, output);

    public object? FilterChunk(object chunk, OutputOptions output) =>
        !output.SuppressReasoning || GeminiReasoningFilter.Strip((GenerateContentResponse)chunk) ? chunk : null;

    public IHubTarget CreateTarget(object adapter) => new GeminiTarget((IGenerateContentAdapter)adapter);
}
