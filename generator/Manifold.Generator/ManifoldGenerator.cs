using System;
using System.Linq;
using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Manifold.Generator
{
    /// <summary>
    /// Reads the OpenAPI-subset specs in <c>specs/</c> (AdditionalFiles) and emits, depending on the
    /// project's <c>ManifoldGeneratorTarget</c>: DTOs and adapter interfaces (Contracts) or route
    /// handlers (Host). Every step's output is an equatable record, so editing one spec regenerates
    /// only that spec's files.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class ManifoldGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var target = context.AnalyzerConfigOptionsProvider
                .Select(static (options, _) => ReadTarget(options.GlobalOptions))
                .WithTrackingName(TrackingNames.Target);

            var parsed = context.AdditionalTextsProvider
                .Where(static file => IsSpecFile(file.Path))
                .Select(static (file, cancellationToken) => Parser.Parse(file.Path, file.GetText(cancellationToken)?.ToString(), cancellationToken))
                .WithTrackingName(TrackingNames.Parse);

            // Diagnostics are their own output, reported once per project that generates anything.
            var diagnostics = parsed
                .Select(static (result, _) => result.Diagnostics)
                .Combine(target)
                .Where(static pair => pair.Right != GeneratorTarget.None && pair.Left.Count > 0)
                .Select(static (pair, _) => pair.Left)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (spc, infos) =>
            {
                foreach (var info in infos)
                {
                    spc.ReportDiagnostic(info.ToDiagnostic());
                }
            });

            var specs = parsed
                .Where(static result => result.Spec is not null)
                .Select(static (result, _) => result.Spec!)
                .Combine(target)
                .WithTrackingName(TrackingNames.Specs);

            context.RegisterSourceOutput(
                specs.Where(static pair => pair.Right == GeneratorTarget.Contracts).Select(static (pair, _) => pair.Left),
                static (spc, spec) => Emitter.EmitContracts(spc, spec));

            context.RegisterSourceOutput(
                specs.Where(static pair => pair.Right == GeneratorTarget.Host).Select(static (pair, _) => pair.Left),
                static (spc, spec) => Emitter.EmitRoutes(spc, spec));

            // The host needs one MapManifoldEndpoints that knows every adapter; only adapter names feed it.
            var adapters = specs
                .Where(static pair => pair.Right == GeneratorTarget.Host)
                .Select(static (pair, _) => pair.Left.Adapter)
                .Collect()
                .Select(static (names, _) => names.OrderBy(static n => n, StringComparer.Ordinal).ToEquatableArray())
                .WithTrackingName(TrackingNames.RouteIndex);
            context.RegisterSourceOutput(adapters.Combine(target), static (spc, pair) =>
            {
                // A single value cannot be filtered out of the pipeline, so the target check happens here.
                if (pair.Right == GeneratorTarget.Host)
                {
                    Emitter.EmitRouteIndex(spc, pair.Left);
                }
            });
        }

        private static GeneratorTarget ReadTarget(Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions options) =>
            options.TryGetValue("build_property.ManifoldGeneratorTarget", out var value) &&
            Enum.TryParse<GeneratorTarget>(value, ignoreCase: true, out var target)
                ? target
                : GeneratorTarget.None;

        private static bool IsSpecFile(string path) =>
            path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
    }
}
