namespace Manifold.Contracts;

/// <summary>
/// Reaches the adapter type of a <see cref="PluginOperation"/> as a type argument: the host calls its own generic request
/// path (platform resolution, retries, responses) with it, with no reflection. Implemented by the host, not by plugins.
/// </summary>
public interface IPluginOperationVisitor<out TResult>
{
    TResult Visit<TAdapter>(PluginOperation<TAdapter> operation)
        where TAdapter : class;
}
