using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Manifold.Contracts;
using Manifold.Host.Endpoints;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Manifold.Generator.Tests.Infrastructure;

/// <summary>
/// Runs <see cref="ManifoldGenerator"/> the way the compiler does: a <see cref="CSharpCompilation"/>, spec files
/// as additional texts, and <c>build_property.ManifoldGeneratorTarget</c> from analyzer config, with step
/// tracking on so tests can read which pipeline steps ran. Also compiles and loads generated code.
/// </summary>
internal static class GeneratorDriverHelper
{
    public const string Contracts = "Contracts";
    public const string Host = "Host";
    public const string Plugin = "Plugin";

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyReferences = new(LoadReferences);

    /// <summary>The repository root, found from this file's location at compile time.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// Everything generated code may use: the runtime (TRUSTED_PLATFORM_ASSEMBLIES), the ASP.NET Core shared
    /// framework, and Manifold.Contracts / Manifold.Host.
    /// </summary>
    public static ImmutableArray<MetadataReference> References => LazyReferences.Value;

    /// <summary>The absolute path of a real spec, e.g. <c>openai/models.yaml</c>.</summary>
    public static string SpecPath(string relative) => Path.Combine(RepoRoot, "specs", relative);

    /// <summary>The text of a real spec, with line endings normalized so tests do not depend on checkout settings.</summary>
    public static string ReadSpec(string relative) => File.ReadAllText(SpecPath(relative)).ReplaceLineEndings("\n");

    public static CSharpCompilation CreateCompilation(string assemblyName, params SyntaxTree[] trees) =>
        CSharpCompilation.Create(
            assemblyName,
            trees,
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static SyntaxTree ParseSource(string source, string path = "") =>
        CSharpSyntaxTree.ParseText(source, ParseOptions, path);

    /// <summary>A driver over <paramref name="specs"/> for a project whose <c>ManifoldGeneratorTarget</c> is <paramref name="target"/>.</summary>
    public static GeneratorDriver CreateDriver(string? target, params AdditionalText[] specs) =>
        CSharpGeneratorDriver.Create(
            generators: [new ManifoldGenerator().AsSourceGenerator()],
            additionalTexts: specs,
            parseOptions: ParseOptions,
            optionsProvider: new TestAnalyzerConfigOptionsProvider(target),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once over the given specs (path, text) for <paramref name="target"/>.</summary>
    public static GeneratorRun Run(string? target, params (string Path, string Text)[] specs)
    {
        var driver = CreateDriver(target, specs.Select(static s => (AdditionalText)new InMemoryAdditionalText(s.Path, s.Text)).ToArray());
        return Run(driver, CreateCompilation("Manifold.Generator.Tests.Input"));
    }

    /// <summary>Runs (or reruns, for incrementality tests) <paramref name="driver"/> over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(driver, driver.GetRunResult(), output, diagnostics);
    }

    /// <summary>
    /// Compiles <paramref name="trees"/> into one assembly, fails the test on compile errors, and loads the
    /// assembly into a load context of its own.
    /// </summary>
    public static Assembly CompileAndLoad(string assemblyName, IEnumerable<SyntaxTree> trees)
    {
        var compilation = CreateCompilation(assemblyName, trees.ToArray());
        using var image = new MemoryStream();
        var emit = compilation.Emit(image);
        var errors = emit.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(emit.Success, "The code does not compile:\n" + string.Join("\n", errors.Take(20)));
        image.Position = 0;
        // Manifold.Contracts and Manifold.Host are not loaded into this context, so they resolve to the test's own
        // copies: the loaded code and the host runtime agree on IPlatform, AdapterContext and the rest.
        return new AssemblyLoadContext(assemblyName).LoadFromStream(image);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        void Add(string path)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (!byName.ContainsKey(name) && IsManagedAssembly(path))
            {
                byName[name] = path;
            }
        }

        var trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        foreach (var path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            Add(path);
        }
        var aspNetCore = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!;
        foreach (var path in Directory.EnumerateFiles(aspNetCore, "*.dll"))
        {
            Add(path);
        }
        Add(typeof(IValidatable).Assembly.Location);
        Add(typeof(EndpointCall).Assembly.Location);
        return [.. byName.Values.Order(StringComparer.Ordinal).Select(static p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string FindRepoRoot([CallerFilePath] string thisFile = "")
    {
        // thisFile is <root>/tests/Manifold.Generator.Tests/Infrastructure/GeneratorDriverHelper.cs
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
        if (!Directory.Exists(Path.Combine(root, "specs")))
        {
            throw new InvalidOperationException($"Cannot find the repository root (no specs/ under '{root}'); was this built with a path map?");
        }
        return root;
    }
}

/// <summary>One generator run: the driver (to rerun incrementally), its result, and the updated compilation.</summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorDriverRunResult Result,
    Compilation OutputCompilation,
    ImmutableArray<Diagnostic> Diagnostics)
{
    public GeneratorRunResult Generator => Assert.Single(Result.Results);

    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Generator.GeneratedSources.ToDictionary(static s => s.HintName, static s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>The generated files as syntax trees, to compile them together with other code.</summary>
    public IEnumerable<SyntaxTree> Trees => Generator.GeneratedSources.Select(static s => s.SyntaxTree);

    public string Source(string hintName) =>
        Sources.TryGetValue(hintName, out var source)
            ? source
            : throw new KeyNotFoundException($"No generated file '{hintName}'; generated: {string.Join(", ", Sources.Keys)}");

    /// <summary>Fails unless the run produced no diagnostics and the generator did not throw.</summary>
    public GeneratorRun AssertClean()
    {
        Assert.Null(Generator.Exception);
        Assert.Empty(Diagnostics);
        return this;
    }

    /// <summary>The errors of compiling the generated code (with nothing else), to check that it is valid C#.</summary>
    public IReadOnlyList<Diagnostic> CompileErrors() =>
        OutputCompilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
}
