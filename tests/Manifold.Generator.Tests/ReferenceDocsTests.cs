using Manifold.Generator.Model;
using Manifold.Generator.Tests.Infrastructure;
using Parser = Manifold.Generator.ManifoldGenerator.Parser;

namespace Manifold.Generator.Tests;

/// <summary>
/// <c>docs/reference/</c>: one page per spec, rendered from the parser's model (the one the code is generated from), so
/// the pages cannot drift from the types. A spec edit that changes a page fails here until the pages are regenerated
/// with <c>MANIFOLD_ACCEPT_SNAPSHOTS=1</c>, as generated code snapshots are.
/// </summary>
public sealed class ReferenceDocsTests
{
    private static readonly string Folder = Path.Combine(GeneratorDriverHelper.RepoRoot, "docs", "reference");

    private static List<string> SpecFiles()
    {
        var root = Path.Combine(GeneratorDriverHelper.RepoRoot, "specs");
        return [.. Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];
    }

    public static TheoryData<string> Specs() => new(SpecFiles());

    private static string PageName(string spec) => spec[..^".yaml".Length].Replace('/', '.') + ".md";

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_spec_has_a_current_reference_page(string spec)
    {
        var result = Parser.Parse(GeneratorDriverHelper.SpecPath(spec), File.ReadAllText(GeneratorDriverHelper.SpecPath(spec)), CancellationToken.None);
        var page = ManifoldGenerator.DocsEmitter.WriteReference(Assert.IsType<ApiSpec>(result.Spec));
        var path = Path.Combine(Folder, PageName(spec));

        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, page);
            return;
        }
        Assert.True(File.Exists(path), $"docs/reference/{PageName(spec)} is missing; run the generator tests with {Snapshot.AcceptVariable}=1 to write it.");
        Assert.True(File.ReadAllText(path).ReplaceLineEndings("\n") == page,
            $"docs/reference/{PageName(spec)} is out of date with specs/{spec}; run the generator tests with {Snapshot.AcceptVariable}=1 and commit the page.");
    }

    [Fact]
    public void The_index_lists_every_page()
    {
        var pages = SpecFiles().ConvertAll(PageName);
        var index = "# Reference\n\nOne page per spec in `specs/`: the adapter interface a platform implements, the routes the host maps, and every\n"
            + "type (its JSON names, C# names, types and descriptions). Generated from the specs by the generator's tests; do not edit.\n\n"
            + string.Concat(pages.Select(static p => $"- [{p[..^3]}]({p})\n"));
        var path = Path.Combine(Folder, "README.md");

        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1")
        {
            Directory.CreateDirectory(Folder);
            File.WriteAllText(path, index);
            return;
        }
        Assert.Equal(index, File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : "");
        Assert.Empty(Directory.EnumerateFiles(Folder, "*.md").Select(static f => Path.GetFileName(f)).Except(pages.Append("README.md")));
    }
}
