using Manifold.Generator.Diagnostics;
using Manifold.Generator.Helpers;

namespace Manifold.Generator.Model
{
    /// <summary>The parser's output for one file: the spec (null when it is unusable) and what was wrong with it.</summary>
    internal sealed record ParseResult(ApiSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
}
