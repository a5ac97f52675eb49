using System.Text.RegularExpressions;
using Manifold.Generator.Tests.Infrastructure;

namespace Manifold.Generator.Tests;

/// <summary>
/// The contracts' public API is checked against runtime/Manifold.Contracts/PublicApi/ on every build. Proven on a copy of
/// the real project and specs, built with the real CLI: a spec edit that drops a DTO property (generated code, which is
/// most of the contract) fails the build naming exactly that property, until it is acknowledged; and an acknowledged
/// removal of shipped API cannot ship under the same major version.
/// </summary>
public sealed class ContractsApiBaselineTests : IDisposable
{
    private const string RemovedGetter = "Manifold.Contracts.OpenAI.CreateChatCompletionRequest.Seed.get -> long?";
    private const string RemovedSetter = "Manifold.Contracts.OpenAI.CreateChatCompletionRequest.Seed.set -> void";

    // Generous: one build of the contracts on a loaded 2-core machine takes well under a minute.
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-api-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_spec_edit_that_drops_a_property_fails_the_build_until_acknowledged_and_then_needs_a_new_major()
    {
        var project = CopyContractsWithSpecs();
        var apiFiles = Path.Combine(Path.GetDirectoryName(project)!, "PublicApi");
        var unshippedBefore = File.ReadAllLines(Path.Combine(apiFiles, "PublicAPI.Unshipped.txt"));
        var shippedMajor = int.Parse(Regex.Match(File.ReadAllText(Path.Combine(apiFiles, "PublicApi.targets")), @"<ManifoldContractsShippedVersion>(\d+)\.").Groups[1].Value);
        var spec = Path.Combine(_root, "specs", "openai", "chat-completions.yaml");
        File.WriteAllText(spec, WithoutProperty(File.ReadAllText(spec), "seed"));

        var (exitCode, output) = await BuildAsync(project);

        Assert.True(exitCode != 0, "the build must fail:\n" + output);
        Assert.Contains("MFAPI001", output);
        Assert.Contains("removed or changed (breaks compiled plugins: a new major version): " + RemovedGetter, output);
        Assert.Contains("removed or changed (breaks compiled plugins: a new major version): " + RemovedSetter, output);
        Assert.Contains("-p:AcknowledgeApiChanges=true", output);
        // Exactly the dropped property differs: the rest of the real contracts, generated and hand-written, matches the baseline.
        var differences = output.Split('\n').Where(static l => l.Contains("MFAPI001") && (l.Contains("removed or changed (") || l.Contains("added ("))).Distinct().ToList();
        Assert.Equal(2, differences.Count);

        (exitCode, output) = await BuildAsync(project, "-p:AcknowledgeApiChanges=true");

        Assert.True(exitCode == 0, "acknowledging must let the build pass:\n" + output);
        var unshipped = File.ReadAllLines(Path.Combine(apiFiles, "PublicAPI.Unshipped.txt"));
        Assert.Equal(unshippedBefore.Append("*REMOVED*" + RemovedGetter).Append("*REMOVED*" + RemovedSetter).Order(), unshipped.Order());

        (exitCode, output) = await BuildAsync(project, $"-p:ManifoldContractsVersion={shippedMajor}.4.0");

        Assert.True(exitCode != 0, "a removal of shipped API must not ship as a minor version:\n" + output);
        Assert.Contains($"ManifoldContractsVersion must move to a new major ({shippedMajor + 1}.0.0), not {shippedMajor}.4.0", output);
    }

    /// <summary>
    /// runtime/Manifold.Contracts and specs/ copied under a scratch root whose Directory.Build.props is the repository's
    /// with the specs pointed at the copy; the generator and the packages stay the repository's.
    /// </summary>
    private string CopyContractsWithSpecs()
    {
        var repo = GeneratorDriverHelper.RepoRoot;
        CopyTree(Path.Combine(repo, "runtime", "Manifold.Contracts"), Path.Combine(_root, "Contracts"));
        CopyTree(Path.Combine(repo, "specs"), Path.Combine(_root, "specs"));
        // Sources the project links from runtime/Shared (its ../Shared), which must stand beside it in the copy too.
        CopyTree(Path.Combine(repo, "runtime", "Shared"), Path.Combine(_root, "Shared"));
        File.WriteAllText(Path.Combine(_root, "Directory.Build.props"), $"""
            <Project>
              <Import Project="{Path.Combine(repo, "Directory.Build.props")}" />
              <PropertyGroup>
                <ManifoldSpecsDir>{Path.Combine(_root, "specs")}/</ManifoldSpecsDir>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), $"""
            <Project>
              <Import Project="{Path.Combine(repo, "Directory.Packages.props")}" />
            </Project>
            """);
        return Path.Combine(_root, "Contracts", "Manifold.Contracts.csproj");
    }

    // The generator is already built by the solution build; the copy only uses it, so it is not rebuilt from here.
    private static Task<(int ExitCode, string Output)> BuildAsync(string project, params string[] properties) =>
        DotnetCli.RunAsync(Path.GetDirectoryName(project)!, BuildTimeout,
            // In-process compiles: a shared compiler server would do the work outside the niced build.
            ["build", project, "-c", "Release", "-nodeReuse:false", "-p:BuildProjectReferences=false", "-p:UseSharedCompilation=false", .. properties]);

    /// <summary>The spec without the schema property <paramref name="name"/>: its line and the deeper-indented lines under it.</summary>
    private static string WithoutProperty(string spec, string name)
    {
        var lines = spec.Split('\n').ToList();
        var start = lines.FindIndex(l => l.TrimStart() == name + ":");
        Assert.True(start >= 0, $"the spec has no property '{name}'");
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        var end = start + 1;
        while (end < lines.Count && (lines[end].Length - lines[end].TrimStart().Length > indent || lines[end].Trim().Length == 0))
        {
            end++;
        }
        lines.RemoveRange(start, end - start);
        return string.Join('\n', lines);
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "bin" or "obj")
            {
                continue;
            }
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
