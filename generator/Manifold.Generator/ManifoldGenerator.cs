using System;
using System.Linq;
using Manifold.Generator.Diagnostics;
using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Manifold.Generator
{
    /// <summary>
    /// Reads the OpenAPI-subset specs in <c>specs/</c> (AdditionalFiles) and emits, depending on the
    /// project's <c>ManifoldGeneratorTarget</c>: DTOs and adapter interfaces (Contracts), route
    /// handlers (Host), or, for a plugin's own specs, DTOs, adapter interfaces and the operation
    /// descriptions the host maps when the plugin loads (Plugin). Every step's output is an equatable
    /// record, so editing one spec regenerates only that spec's files.
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

            // Diagnostics are their own output, reported once per project that generates anything; what a plugin's spec
            // cannot use only where the specs are a plugin's.
            var diagnostics = parsed
                .Select(static (result, _) => (result.Diagnostics, result.PluginDiagnostics))
                .Combine(target)
                .Select(static (pair, _) => pair.Right switch
                {
                    GeneratorTarget.None => EquatableArray<DiagnosticInfo>.Empty,
                    GeneratorTarget.Plugin => pair.Left.Diagnostics.Concat(pair.Left.PluginDiagnostics).ToEquatableArray(),
                    _ => pair.Left.Diagnostics,
                })
                .Where(static infos => infos.Count > 0)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (spc, infos) =>
            {
                foreach (var info in infos)
                {
                    spc.ReportDiagnostic(info.ToDiagnostic());
                }
            });

            // A plugin's spec with constructs the plugin target cannot serve generates nothing: its errors say why.
            var specs = parsed
                .Where(static result => result.Spec is not null)
                .Combine(target)
                .Where(static pair => pair.Right != GeneratorTarget.Plugin || pair.Left.PluginDiagnostics.Count == 0)
                .Select(static (pair, _) => (Spec: pair.Left.Spec!, Target: pair.Right))
                .WithTrackingName(TrackingNames.Specs);

            // A plugin's DTOs and adapter interfaces are the same code as the contracts', in the plugin's namespace.
            context.RegisterSourceOutput(
                specs.Where(static pair => pair.Target is GeneratorTarget.Contracts or GeneratorTarget.Plugin).Select(static (pair, _) => pair.Spec),
                static (spc, spec) => Emitter.EmitContracts(spc, spec));

            context.RegisterSourceOutput(
                specs.Where(static pair => pair.Target == GeneratorTarget.Plugin).Select(static (pair, _) => pair.Spec),
                static (spc, spec) => Emitter.EmitPluginEndpoints(spc, spec));

            context.RegisterSourceOutput(
                specs.Where(static pair => pair.Target == GeneratorTarget.Host).Select(static (pair, _) => pair.Spec),
                static (spc, spec) => Emitter.EmitRoutes(spc, spec));

            // The host needs one MapManifoldEndpoints that knows every adapter; only adapter names feed it.
            var adapters = specs
                .Where(static pair => pair.Target == GeneratorTarget.Host)
                .Select(static (pair, _) => pair.Spec.Adapter)
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
