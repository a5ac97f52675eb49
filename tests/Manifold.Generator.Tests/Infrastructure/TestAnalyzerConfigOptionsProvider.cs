using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Manifold.Generator.Tests.Infrastructure;

/// <summary>
/// Supplies the global options MSBuild would: <c>build_property.ManifoldGeneratorTarget</c> (made visible by
/// generator/Manifold.Generator.targets through CompilerVisibleProperty). Per-file options are empty.
/// </summary>
internal sealed class TestAnalyzerConfigOptionsProvider(string? target) : AnalyzerConfigOptionsProvider
{
    public const string TargetKey = "build_property.ManifoldGeneratorTarget";

    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(
        target is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [TargetKey] = target });

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new([]);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);

        public override IEnumerable<string> Keys => values.Keys;
    }
}
