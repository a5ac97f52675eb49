using System.Reflection;
using Manifold.Contracts;

namespace Manifold.Host.Plugins;

/// <summary>
/// Whether a plugin was compiled against contracts this host can honour, read from the <c>Manifold.Contracts</c>
/// reference in the plugin's main assembly before any of its code runs.
/// </summary>
/// <remarks>
/// The contracts follow semantic versioning, and their assembly version is pinned to <c>major.0.0.0</c> (the package
/// sets it), so a plugin's reference names the major it was built against and nothing finer.
/// <list type="bullet">
/// <item>Another major, older or newer, is refused: a major version removes or changes members (see
/// runtime/Manifold.Contracts/PublicApi), so the plugin would fail at its first call of one, mid-request.</item>
/// <item>Any minor of the host's major is loaded. An older minor is safe, since minors only add. A newer minor works
/// unless the plugin calls a member added after the host's minor; the reference cannot tell, and refusing every such
/// plugin would refuse ones that work. The call that does reach a missing member throws MissingMethodException (or
/// TypeLoadException), which costs that request a 502 and is logged naming the plugin and the member; the fix is a host
/// at least as new as the contracts the plugin was built against.</item>
/// </list>
/// </remarks>
internal static class ContractsCompatibility
{
    /// <summary>The assembly version of the host's contracts.</summary>
    public static Version HostVersion { get; } = ContractsAssembly.GetName().Version ?? new Version(0, 0);

    private static Assembly ContractsAssembly => typeof(IPlatformPlugin).Assembly;

    /// <summary>Throws when <paramref name="plugin"/> was built against contracts of another major version than the host's.</summary>
    /// <exception cref="IncompatibleContractsException">The majors differ.</exception>
    public static void Check(Assembly plugin, string assemblyPath)
    {
        // A plugin without the reference cannot implement IPlatformPlugin; the loader reports it as providing none.
        if (ReferencedVersion(plugin) is { } version && version.Major != HostVersion.Major)
        {
            throw new IncompatibleContractsException(assemblyPath, version, HostVersion);
        }
    }

    /// <summary>The version of <c>Manifold.Contracts</c> that <paramref name="plugin"/> references; null when it references none.</summary>
    public static Version? ReferencedVersion(Assembly plugin)
    {
        var contractsName = ContractsAssembly.GetName().Name;
        return plugin.GetReferencedAssemblies()
            .FirstOrDefault(reference => string.Equals(reference.Name, contractsName, StringComparison.OrdinalIgnoreCase))?.Version;
    }
}
