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
}
