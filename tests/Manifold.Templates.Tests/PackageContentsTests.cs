using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Manifold.Templates.Tests.Infrastructure;

namespace Manifold.Templates.Tests;

/// <summary>What the packages in the feed hold: the plugin contract and what makes a project a plugin, nothing more.</summary>
public sealed class PackageContentsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("manifold-package-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void Contracts_is_a_reference_assembly_with_its_docs_the_generator_and_the_plugin_props()
    {
        using var package = ZipFile.OpenRead(RepositoryBuild.Package("Manifold.Contracts"));

        Assert.Equal(
            [
                "analyzers/dotnet/cs/Manifold.Generator.dll",
                "analyzers/dotnet/cs/YamlDotNet.dll",
                "build/Manifold.Contracts.props",
                "ref/net10.0/Manifold.Contracts.dll",
                "ref/net10.0/Manifold.Contracts.xml",
            ],
            Contents(package));
    }

    [Fact]
    public void Contracts_assembly_version_is_the_major_version_only()
    {
        using var package = ZipFile.OpenRead(RepositoryBuild.Package("Manifold.Contracts"));
        string assembly = Extract(package, "ref/net10.0/Manifold.Contracts.dll");

        var version = new Version(RepositoryBuild.PackageVersion.Split('-')[0]);
        Assert.Equal(new Version(version.Major, 0, 0, 0), AssemblyName.GetAssemblyName(assembly).Version);
    }

    [Fact]
    public void Contracts_docs_carry_the_specs_descriptions()
    {
        using var package = ZipFile.OpenRead(RepositoryBuild.Package("Manifold.Contracts"));
        var docs = XDocument.Load(package.GetEntry("ref/net10.0/Manifold.Contracts.xml")!.Open());

        string Summary(string member) => docs.Descendants("member").Single(m => (string?)m.Attribute("name") == member).Element("summary")!.Value.Trim();

        // specs/openai/chat-completions.yaml: the schema's and the property's description.
        Assert.Equal("The text content (type text).", Summary("P:Manifold.Contracts.OpenAI.ChatCompletionContentPart.Text"));
        Assert.Contains("operations of openai/chat-completions.yaml", Summary("T:Manifold.Contracts.OpenAI.IChatCompletionsAdapter"));
    }

    [Fact]
    public void Contracts_dependencies_are_for_compiling_only()
    {
        using var package = ZipFile.OpenRead(RepositoryBuild.Package("Manifold.Contracts"));
        var dependencies = Nuspec(package).Descendants().Where(e => e.Name.LocalName == "dependency").ToList();

        // The host provides Logging.Abstractions; a plugin's output must not carry a copy.
        var logging = Assert.Single(dependencies);
        Assert.Equal("Microsoft.Extensions.Logging.Abstractions", (string?)logging.Attribute("id"));
        Assert.Contains("Runtime", ((string?)logging.Attribute("exclude"))!.Split(','));
    }

    [Fact]
    public void Host_Testing_runs_the_gateway_but_compiles_only_against_its_helper()
    {
        using var package = ZipFile.OpenRead(RepositoryBuild.Package("Manifold.Host.Testing"));

        Assert.Equal(
            [
                "build/Manifold.Host.Testing.targets",
                "lib/net10.0/Manifold.Contracts.dll",
                "lib/net10.0/Manifold.Conversion.dll",
                "lib/net10.0/Manifold.Host.Testing.dll",
                "lib/net10.0/Manifold.Host.Testing.xml",
                "lib/net10.0/Manifold.Host.dll",
                "ref/net10.0/Manifold.Host.Testing.dll",
                "ref/net10.0/Manifold.Host.Testing.xml",
            ],
            Contents(package));
        var contracts = Nuspec(package).Descendants().Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Manifold.Contracts");
        Assert.Equal(RepositoryBuild.PackageVersion, (string?)contracts.Attribute("version"));
    }

    // The package's files, without NuGet's own bookkeeping (nuspec, OPC parts).
    private static List<string> Contents(ZipArchive package) =>
    [
        .. package.Entries.Select(static e => e.FullName)
            .Where(static n => !n.EndsWith(".nuspec", StringComparison.Ordinal) && !n.StartsWith("_rels/", StringComparison.Ordinal)
                && !n.StartsWith("package/", StringComparison.Ordinal) && n != "[Content_Types].xml")
            .Order(StringComparer.Ordinal),
    ];

    private static XDocument Nuspec(ZipArchive package) =>
        XDocument.Load(package.Entries.Single(static e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());

    private string Extract(ZipArchive package, string entry)
    {
        string path = Path.Combine(_scratch, Path.GetFileName(entry));
        package.GetEntry(entry)!.ExtractToFile(path);
        return path;
    }
}
