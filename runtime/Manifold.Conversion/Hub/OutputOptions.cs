namespace Manifold.Conversion.Hub;

/// <summary>
/// Per-request gateway extras about how the answer is shown, set from the query string or body
/// (<c>close_reasoning_content</c>, <c>return_reasoning_content</c>). Upstreams never see them.
/// </summary>
public sealed record OutputOptions(bool SuppressReasoning = false, bool ReasoningAsContent = false)
{
    public static OutputOptions Default { get; } = new();
}
