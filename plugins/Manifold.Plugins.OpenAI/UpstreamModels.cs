namespace Manifold.Plugins.OpenAI;

/// <summary>The models an operator configured for a platform: exact names and <c>prefix*</c> patterns, matched as the host matches them.</summary>
internal sealed class UpstreamModels
{
    private readonly string[] _prefixes;

    public UpstreamModels(IReadOnlyList<string> configured)
    {
        ExactNames = [.. configured.Where(static m => !m.EndsWith('*'))];
        _prefixes = [.. configured.Where(static m => m.EndsWith('*')).Select(static m => m[..^1])];
    }

    public IReadOnlyList<string> ExactNames { get; }

    /// <summary>Every configured entry is an exact name, so the list of served models is known without asking the upstream.</summary>
    public bool AllExact => ExactNames.Count > 0 && _prefixes.Length == 0;

    /// <summary>Whether the platform serves <paramref name="model"/>; with nothing configured, it serves whatever the upstream has.</summary>
    public bool Serves(string? model) =>
        (ExactNames.Count == 0 && _prefixes.Length == 0) ||
        (model is not null && (FindExact(model) is not null || _prefixes.Any(p => model.StartsWith(p, StringComparison.OrdinalIgnoreCase))));

    /// <summary>The configured spelling of <paramref name="model"/> when it is listed by name.</summary>
    public string? FindExact(string model) => ExactNames.FirstOrDefault(m => string.Equals(m, model, StringComparison.OrdinalIgnoreCase));
}
