using Manifold.Generator.Model;
using Manifold.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Manifold.Generator.Tests;

/// <summary>
/// Reruns the driver after an edit and reads the tracked steps: nothing the edit does not touch may be
/// recomputed, which is what keeps the IDE responsive while specs are open.
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly InMemoryAdditionalText Models = new(GeneratorDriverHelper.SpecPath("openai/models.yaml"), GeneratorDriverHelper.ReadSpec("openai/models.yaml"));
    private static readonly InMemoryAdditionalText Chat = new(GeneratorDriverHelper.SpecPath("openai/chat-completions.yaml"), GeneratorDriverHelper.ReadSpec("openai/chat-completions.yaml"));

    private static (GeneratorRun First, Compilation Compilation) FirstRun(string target)
    {
        var compilation = GeneratorDriverHelper.CreateCompilation("Manifold.Generator.Tests.Incremental");
        var first = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(target, Models, Chat), compilation).AssertClean();
        Assert.NotEmpty(first.Generator.GeneratedSources);
        return (first, compilation);
    }

    /// <summary>The steps a target runs: RouteIndex only feeds the host.</summary>
    private static string[] SpecSteps(string target) =>
        target == GeneratorDriverHelper.Host
            ? [TrackingNames.Parse, TrackingNames.Specs, TrackingNames.RouteIndex]
            : [TrackingNames.Parse, TrackingNames.Specs];

    private static IReadOnlyList<IncrementalGeneratorRunStep> Steps(GeneratorRun run, string name) =>
        run.Generator.TrackedSteps.TryGetValue(name, out var steps) ? steps : [];

    private static IEnumerable<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRun run, string name) =>
        Steps(run, name).SelectMany(static s => s.Outputs);

    /// <summary>Every output of the named steps is Cached (input unchanged) or Unchanged (recomputed, compared equal).</summary>
    private static void AssertStepsNotRecomputed(GeneratorRun run, params string[] stepNames)
    {
        foreach (var name in stepNames)
        {
            Assert.NotEmpty(Steps(run, name));
            Assert.All(Outputs(run, name), output =>
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} output was {output.Reason}"));
        }
    }

    /// <summary>The named steps were not recomputed and no source output ran again.</summary>
    private static void AssertNothingRecomputed(GeneratorRun run, params string[] stepNames)
    {
        AssertStepsNotRecomputed(run, stepNames);
        var outputs = run.Generator.TrackedOutputSteps.SelectMany(static kv => kv.Value).SelectMany(static s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, static output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Theory]
    [InlineData(GeneratorDriverHelper.Contracts)]
    [InlineData(GeneratorDriverHelper.Host)]
    public void Adding_an_unrelated_syntax_tree_recomputes_nothing(string target)
    {
        var (first, compilation) = FirstRun(target);

        var second = GeneratorDriverHelper.Run(first.Driver, compilation.AddSyntaxTrees(GeneratorDriverHelper.ParseSource("class Unrelated { }")));

        AssertNothingRecomputed(second, [.. SpecSteps(target), TrackingNames.Target]);
        // The specs were not even re-read.
        Assert.All(Outputs(second, TrackingNames.Parse), static o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(first.Sources, second.Sources);
    }

    [Theory]
    [InlineData(GeneratorDriverHelper.Contracts)]
    [InlineData(GeneratorDriverHelper.Host)]
    public void Replacing_a_spec_with_identical_text_reparses_it_but_emits_nothing(string target)
    {
        var (first, compilation) = FirstRun(target);

        var driver = first.Driver.ReplaceAdditionalText(Chat, new InMemoryAdditionalText(Chat.Path, Chat.GetText().ToString()));
        var second = GeneratorDriverHelper.Run(driver, compilation);

        AssertNothingRecomputed(second, SpecSteps(target));
        // The file was parsed again (it is a new AdditionalText) and its model compared equal to the last one.
        Assert.Contains(Outputs(second, TrackingNames.Parse), static o => o.Reason == IncrementalStepRunReason.Unchanged);
        Assert.Equal(first.Sources, second.Sources);
    }

    [Fact]
    public void Editing_one_spec_reparses_only_that_spec()
    {
        var (first, compilation) = FirstRun(GeneratorDriverHelper.Contracts);

        var edited = new InMemoryAdditionalText(Chat.Path, Chat.GetText().ToString().Replace(
            "Creates a model response for the given chat conversation.", "Creates a chat completion.", StringComparison.Ordinal));
        var second = GeneratorDriverHelper.Run(first.Driver.ReplaceAdditionalText(Chat, edited), compilation);

        var parse = Outputs(second, TrackingNames.Parse).ToDictionary(static o => FileOf(o.Value), static o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, parse["openai/models.yaml"]);
        Assert.Equal(IncrementalStepRunReason.Modified, parse["openai/chat-completions.yaml"]);

        var specs = Outputs(second, TrackingNames.Specs).ToDictionary(static o => FileOf(o.Value), static o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, specs["openai/models.yaml"]);
        Assert.Equal(IncrementalStepRunReason.Modified, specs["openai/chat-completions.yaml"]);

        // The summary is only in the chat adapter interface; every other file is what it was.
        var changed = first.Sources.Where(kv => second.Sources[kv.Key] != kv.Value).Select(static kv => kv.Key);
        Assert.Equal(["openai.chat-completions.Adapter.g.cs"], changed);
    }

    [Fact]
    public void Editing_a_spec_without_renaming_its_adapter_leaves_the_host_route_index_alone()
    {
        var (first, compilation) = FirstRun(GeneratorDriverHelper.Host);

        var edited = new InMemoryAdditionalText(Models.Path, Models.GetText().ToString().Replace("operationId: retrieveModel", "operationId: getModel", StringComparison.Ordinal));
        var second = GeneratorDriverHelper.Run(first.Driver.ReplaceAdditionalText(Models, edited), compilation);

        var parse = Outputs(second, TrackingNames.Parse).ToDictionary(static o => FileOf(o.Value), static o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Modified, parse["openai/models.yaml"]);
        Assert.Equal(IncrementalStepRunReason.Cached, parse["openai/chat-completions.yaml"]);
        // The adapter names that feed the index compared equal, so the index was not rebuilt.
        AssertStepsNotRecomputed(second, TrackingNames.RouteIndex, TrackingNames.Target);
        Assert.Contains("HandleGetModelAsync", second.Source("openai.models.Routes.g.cs"), StringComparison.Ordinal);
        Assert.Equal(first.Source("ManifoldEndpoints.g.cs"), second.Source("ManifoldEndpoints.g.cs"));
    }

    [Fact]
    public void Changing_the_target_regenerates_for_the_new_target_without_reparsing()
    {
        var (first, compilation) = FirstRun(GeneratorDriverHelper.Contracts);

        var driver = first.Driver.WithUpdatedAnalyzerConfigOptions(new TestAnalyzerConfigOptionsProvider(GeneratorDriverHelper.Host));
        var second = GeneratorDriverHelper.Run(driver, compilation);

        Assert.All(Outputs(second, TrackingNames.Parse), static o => Assert.Equal(IncrementalStepRunReason.Cached, o.Reason));
        Assert.Equal(
            ["ManifoldEndpoints.g.cs", "openai.chat-completions.Routes.g.cs", "openai.models.Routes.g.cs"],
            second.Sources.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(GeneratorDriverHelper.Contracts, "test.gen.Adapter.g.cs")]
    [InlineData(GeneratorDriverHelper.Host, "test.gen.Routes.g.cs")]
    public void Editing_an_alias_regenerates_only_the_files_that_mention_routes(string target, string changedFile)
    {
        var gen = new InMemoryAdditionalText(TestSpecs.GenPath, TestSpecs.Gen);
        var compilation = GeneratorDriverHelper.CreateCompilation("Manifold.Generator.Tests.Incremental");
        var first = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(target, Models, gen), compilation).AssertClean();

        var edited = new InMemoryAdditionalText(gen.Path, TestSpecs.Gen.Replace("['/v1/models/{model}:generateContent']", "['/v1alpha/models/{model}:generateContent']", StringComparison.Ordinal));
        var second = GeneratorDriverHelper.Run(first.Driver.ReplaceAdditionalText(gen, edited), compilation).AssertClean();

        var parse = Outputs(second, TrackingNames.Parse).ToDictionary(static o => FileOf(o.Value), static o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, parse["openai/models.yaml"]);
        Assert.Equal(IncrementalStepRunReason.Modified, parse["test/gen.yaml"]);
        var changed = first.Sources.Where(kv => second.Sources[kv.Key] != kv.Value).Select(static kv => kv.Key);
        Assert.Equal([changedFile], changed);
        Assert.Contains("/v1alpha/models/{model}:generateContent", second.Source(changedFile), StringComparison.Ordinal);
    }

    [Fact]
    public void Editing_a_plugin_spec_regenerates_only_that_plugin_specs_files()
    {
        var echo = new InMemoryAdditionalText(TestSpecs.EchoPath, TestSpecs.Echo);
        var gen = new InMemoryAdditionalText(TestSpecs.GenPath, TestSpecs.Gen);
        var compilation = GeneratorDriverHelper.CreateCompilation("Manifold.Generator.Tests.Incremental");
        var first = GeneratorDriverHelper.Run(GeneratorDriverHelper.CreateDriver(GeneratorDriverHelper.Plugin, echo, gen), compilation).AssertClean();

        var edited = new InMemoryAdditionalText(echo.Path, TestSpecs.Echo.Replace("summary: Echoes the request.", "summary: Repeats the request.", StringComparison.Ordinal));
        var second = GeneratorDriverHelper.Run(first.Driver.ReplaceAdditionalText(echo, edited), compilation).AssertClean();

        var specs = Outputs(second, TrackingNames.Specs).ToDictionary(static o => FileOf(o.Value), static o => o.Reason);
        Assert.Equal(IncrementalStepRunReason.Cached, specs["test/gen.yaml"]);
        Assert.Equal(IncrementalStepRunReason.Modified, specs["test/echo.yaml"]);
        // The summary is in the adapter interface and in the operation the host maps; nothing else changed.
        var changed = first.Sources.Where(kv => second.Sources[kv.Key] != kv.Value).Select(static kv => kv.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["test.echo.Adapter.g.cs", "test.echo.Endpoints.g.cs"], changed);
    }

    private static string FileOf(object? stepOutput) => stepOutput switch
    {
        ParseResult result => result.Spec!.FileName,
        ValueTuple<ApiSpec, GeneratorTarget> pair => pair.Item1.FileName,
        _ => throw new InvalidOperationException($"Unexpected step output {stepOutput?.GetType()}"),
    };
}
