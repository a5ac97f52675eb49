using System.Reflection;
using System.Runtime.Loader;

namespace Manifold.Host.Plugins;

/// <summary>
/// Isolates one plugin: its private dependencies resolve from its own folder (through its
/// <c>.deps.json</c> when it has one), so two plugins may ship different versions of the same library,
/// while <see cref="SharedAssemblies"/>, the framework included, come from the host.
/// </summary>
/// <remarks>
/// Not collectible: platforms live for the whole process, and unloading would only add the cost of
/// collectible code and the risk of the host holding a plugin type past its unload.
/// </remarks>
internal sealed class PluginLoadContext(string mainAssemblyPath)
    : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath), isCollectible: false)
{
    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The host's copy of a shared or framework assembly, even when the plugin carries one. Asked for by name alone:
        // the default context refuses a request for a higher version than it has (a plugin built against a newer
        // package), and a second copy is exactly what must not happen.
        if (SharedAssemblies.Contains(assemblyName))
        {
            return Default.LoadFromAssemblyName(new AssemblyName(assemblyName.Name!));
        }

        // Null defers to the default context, which knows the framework, for anything the plugin does not ship.
        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
