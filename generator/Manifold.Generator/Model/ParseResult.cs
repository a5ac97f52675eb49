using Manifold.Generator.Diagnostics;
using Manifold.Generator.Helpers;

namespace Manifold.Generator.Model
{
    /// <summary>
    /// The parser's output for one file: the spec (null when it is unusable) and what was wrong with it.
    /// <see cref="PluginDiagnostics"/> are what a plugin's spec cannot use (the Plugin target reports them, and emits nothing
    /// for the file while there are any); other targets ignore them.
    /// </summary>
    internal sealed record ParseResult(ApiSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<DiagnosticInfo> PluginDiagnostics = default);
}
