using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Manifold.Generator.Helpers;

namespace Manifold.Generator.Diagnostics
{
    /// <summary>
    /// A diagnostic as plain data. <see cref="Diagnostic"/> and <see cref="Location"/> are not equatable
    /// across runs, so the pipeline carries this record and materialises the diagnostic only when reporting.
    /// </summary>
    internal sealed record DiagnosticInfo(
        string Id,
        string FilePath,
        TextSpan Span,
        LinePositionSpan LineSpan,
        EquatableArray<string> MessageArgs)
    {
        public Diagnostic ToDiagnostic()
        {
            var descriptor = DiagnosticDescriptors.ById(Id);
            var location = Location.Create(FilePath, Span, LineSpan);
            var args = new object[MessageArgs.Count];
            for (var i = 0; i < args.Length; i++)
            {
                args[i] = MessageArgs[i];
            }
            return Diagnostic.Create(descriptor, location, args);
        }
    }
}
