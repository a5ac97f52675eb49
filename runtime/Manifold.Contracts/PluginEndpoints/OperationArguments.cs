namespace Manifold.Contracts;

/// <summary>
/// What the host read from one call of a <see cref="PluginOperation"/>, for the plugin's generated code to hand to its adapter:
/// the validated request body and the path parameters. The host makes one per call.
/// </summary>
public sealed class OperationArguments(object? body, IReadOnlyDictionary<string, string> path)
{
    /// <summary>The request body, already read into <see cref="PluginOperation.RequestType"/> and validated; null without one.</summary>
    public object? Body { get; } = body;

    /// <summary>
    /// The value of the path parameter <paramref name="name"/> as the spec names it; empty when the route has none. The
    /// parameter that names the model (<see cref="PluginOperation{TAdapter}.ModelParameter"/>) holds the model as the chosen
    /// platform knows it.
    /// </summary>
    public string Path(string name) => path.TryGetValue(name, out var value) ? value : string.Empty;
}
