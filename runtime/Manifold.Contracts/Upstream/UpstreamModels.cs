using Manifold.Contracts.OpenAI;

namespace Manifold.Contracts.Upstream;

/// <summary>
/// The models an operator configured for a platform, matched with the host's own <see cref="ModelPattern"/>:
/// plugins filter their upstream's model list with it, so a list shows what the root routes would send there.
/// </summary>
public sealed class UpstreamModels
{
    private readonly ModelPattern[] _patterns;

    public UpstreamModels(IReadOnlyList<string> configured)
    {
        _patterns = [.. configured.Select(static m => new ModelPattern(m))];
        ExactNames = [.. _patterns.Where(static p => !p.IsPrefix).Select(static p => p.Text)];
    }

    public IReadOnlyList<string> ExactNames { get; }

    /// <summary>Every configured entry is an exact name, so the list of served models is known without asking the upstream.</summary>
    public bool AllExact => _patterns.Length > 0 && ExactNames.Count == _patterns.Length;

    /// <summary>Whether the platform serves <paramref name="model"/>; with nothing configured, it serves whatever the upstream has.</summary>
    public bool Serves(string? model) =>
        _patterns.Length == 0 || (model is not null && _patterns.Any(p => p.Matches(model)));

    /// <summary>The configured spelling of <paramref name="model"/> when it is listed by name.</summary>
    public string? FindExact(string model) => ExactNames.FirstOrDefault(m => string.Equals(m, model, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The served models, each described by <paramref name="describe"/>, when the operator listed every one by name: the
    /// operator has said what the platform serves, and many upstreams have no (or an unhelpful) model list, so it is not
    /// asked. Null when the upstream must be asked (nothing configured, or a prefix pattern).
    /// </summary>
    public List<T>? ListedByOperator<T>(Func<string, T> describe) => AllExact ? [.. ExactNames.Select(describe)] : null;

    /// <summary><see cref="ListedByOperator{T}"/> in OpenAI's shape, each model owned by <paramref name="platform"/>.</summary>
    public ListModelsResponse? ListedByOperator(string platform) =>
        ListedByOperator(id => Describe(id, platform)) is { } models ? new ListModelsResponse { Data = models } : null;

    /// <summary>The configured model <paramref name="model"/> in OpenAI's shape, when it is listed by name; the upstream need not be asked.</summary>
    public Model? DescribeListed(string model, string platform) => FindExact(model) is { } configured ? Describe(configured, platform) : null;

    // A configured name says nothing of when the model was made, and the platform is who serves it.
    private static Model Describe(string id, string platform) => new() { Id = id, Created = 0, OwnedBy = platform };
}
