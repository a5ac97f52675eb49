using Manifold.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Manifold.Generator.Tests;

/// <summary>
/// Whole generated files, compared with the reviewed copies in _snapshots/. A change to the emitter shows up
/// here as a diff to review (see <see cref="Snapshot"/>). The chat spec is too large to review as a snapshot;
/// the facts that matter about it are asserted instead.
/// </summary>
public sealed class SnapshotTests
{
    private const string ModelsSpec = "openai/models.yaml";
    private const string ChatSpec = "openai/chat-completions.yaml";

    private static GeneratorRun RunReal(string target, params string[] specs) =>
        GeneratorDriverHelper.Run(target, specs.Select(static s => (GeneratorDriverHelper.SpecPath(s), GeneratorDriverHelper.ReadSpec(s))).ToArray()).AssertClean();

    [Fact]
    public void Models_spec_contracts()
    {
        var run = RunReal(GeneratorDriverHelper.Contracts, ModelsSpec);

        Assert.Equal(["openai.models.Adapter.g.cs", "openai.models.Models.g.cs"], run.Sources.Keys.Order(StringComparer.Ordinal));
        Snapshot.Verify(run.Source("openai.models.Models.g.cs"), "openai.models.Models");
        Snapshot.Verify(run.Source("openai.models.Adapter.g.cs"), "openai.models.Adapter");
    }

    [Fact]
    public void Models_spec_host()
    {
        var run = RunReal(GeneratorDriverHelper.Host, ModelsSpec);

        Assert.Equal(["ManifoldEndpoints.g.cs", "openai.models.Routes.g.cs"], run.Sources.Keys.Order(StringComparer.Ordinal));
        Snapshot.Verify(run.Source("openai.models.Routes.g.cs"), "openai.models.Routes");
        Snapshot.Verify(run.Source("ManifoldEndpoints.g.cs"), "ManifoldEndpoints");
    }

    [Fact]
    public void Sample_spec_with_unions_and_enums()
    {
        var contracts = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (TestSpecs.SamplePath, TestSpecs.Sample)).AssertClean();
        var host = GeneratorDriverHelper.Run(GeneratorDriverHelper.Host, (TestSpecs.SamplePath, TestSpecs.Sample)).AssertClean();

        Snapshot.Verify(contracts.Source("test.sample.Models.g.cs"), "test.sample.Models");
        Snapshot.Verify(contracts.Source("test.sample.Adapter.g.cs"), "test.sample.Adapter");
        Snapshot.Verify(host.Source("test.sample.Routes.g.cs"), "test.sample.Routes");
    }

    [Fact]
    public void Paged_spec_with_query_parameters_and_both_paging_styles()
    {
        var contracts = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (TestSpecs.PagedPath, TestSpecs.Paged)).AssertClean();
        var host = GeneratorDriverHelper.Run(GeneratorDriverHelper.Host, (TestSpecs.PagedPath, TestSpecs.Paged)).AssertClean();

        Snapshot.Verify(contracts.Source("test.paged.Adapter.g.cs"), "test.paged.Adapter");
        Snapshot.Verify(host.Source("test.paged.Routes.g.cs"), "test.paged.Routes");
    }

    [Fact]
    public void Gen_spec_with_complex_segments_aliases_a_streaming_only_operation_and_snake_case_aliases()
    {
        var contracts = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (TestSpecs.GenPath, TestSpecs.Gen)).AssertClean();
        var host = GeneratorDriverHelper.Run(GeneratorDriverHelper.Host, (TestSpecs.GenPath, TestSpecs.Gen)).AssertClean();

        Snapshot.Verify(contracts.Source("test.gen.Models.g.cs"), "test.gen.Models");
        Snapshot.Verify(contracts.Source("test.gen.Adapter.g.cs"), "test.gen.Adapter");
        Snapshot.Verify(host.Source("test.gen.Routes.g.cs"), "test.gen.Routes");
    }

    [Fact]
    public void Media_spec_with_a_form_files_a_201_bytes_and_delete()
    {
        var contracts = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (TestSpecs.MediaPath, TestSpecs.Media)).AssertClean();
        var host = GeneratorDriverHelper.Run(GeneratorDriverHelper.Host, (TestSpecs.MediaPath, TestSpecs.Media)).AssertClean();

        Snapshot.Verify(contracts.Source("test.media.Adapter.g.cs"), "test.media.Adapter");
        Snapshot.Verify(host.Source("test.media.Routes.g.cs"), "test.media.Routes");
    }

    [Fact]
    public void Rerank_plugin_spec_as_a_plugin()
    {
        // The real spec of tests/Plugins/Manifold.TestPlugin.Rerank, which Manifold.Host.Tests serves through the host.
        var path = Path.Combine(GeneratorDriverHelper.RepoRoot, "tests", "Plugins", "Manifold.TestPlugin.Rerank", "specs", "rerank.yaml");
        var spec = (path, File.ReadAllText(path).ReplaceLineEndings("\n"));
        var plugin = GeneratorDriverHelper.Run(GeneratorDriverHelper.Plugin, spec).AssertClean();
        var contracts = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, spec).AssertClean();

        Assert.Equal(["specs.rerank.Adapter.g.cs", "specs.rerank.Endpoints.g.cs", "specs.rerank.Models.g.cs"], plugin.Sources.Keys.Order(StringComparer.Ordinal));
        Snapshot.Verify(plugin.Source("specs.rerank.Endpoints.g.cs"), "plugin.rerank.Endpoints");
        // A plugin's DTOs and adapter interface are exactly what the contracts would get, in the plugin's namespace.
        Assert.Equal(contracts.Source("specs.rerank.Models.g.cs"), plugin.Source("specs.rerank.Models.g.cs"));
        Assert.Equal(contracts.Source("specs.rerank.Adapter.g.cs"), plugin.Source("specs.rerank.Adapter.g.cs"));
    }

    [Fact]
    public void Echo_and_gen_specs_as_a_plugin_with_streams_path_models_and_aliases()
    {
        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Plugin, (TestSpecs.EchoPath, TestSpecs.Echo), (TestSpecs.GenPath, TestSpecs.Gen)).AssertClean();

        // No host handlers and no route index: the host maps a plugin's operations itself.
        Assert.DoesNotContain(run.Sources.Keys, static k => k.EndsWith(".Routes.g.cs", StringComparison.Ordinal) || k == "ManifoldEndpoints.g.cs");
        Snapshot.Verify(run.Source("test.echo.Endpoints.g.cs"), "test.echo.Endpoints");
        Snapshot.Verify(run.Source("test.gen.Endpoints.g.cs"), "test.gen.Endpoints");
    }

    [Fact]
    public void Host_maps_every_adapter_once_in_name_order()
    {
        var run = RunReal(GeneratorDriverHelper.Host, ModelsSpec, ChatSpec);

        Assert.Equal(
            ["ManifoldEndpoints.g.cs", "openai.chat-completions.Routes.g.cs", "openai.models.Routes.g.cs"],
            run.Sources.Keys.Order(StringComparer.Ordinal));
        var index = run.Source("ManifoldEndpoints.g.cs");
        var chat = index.IndexOf("MapChatCompletions(endpoints);", StringComparison.Ordinal);
        var models = index.IndexOf("MapModels(endpoints);", StringComparison.Ordinal);
        Assert.True(chat >= 0 && models > chat, index);
    }

    [Fact]
    public void Generated_code_for_every_real_spec_compiles_as_contracts_and_host_together()
    {
        var specs = new[] { ModelsSpec, ChatSpec };
        var trees = RunReal(GeneratorDriverHelper.Contracts, specs).Trees.Concat(RunReal(GeneratorDriverHelper.Host, specs).Trees).ToArray();

        var compilation = GeneratorDriverHelper.CreateCompilation("Manifold.Generated.RealSpecs", trees);

        // CS0436 (these types also exist in the referenced Manifold.Contracts) is expected; errors are not.
        Assert.Empty(compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error).Take(20));
    }

    [Fact]
    public void Chat_spec_request_dto_has_the_modelled_fields_and_keeps_unknown_ones()
    {
        var models = RunReal(GeneratorDriverHelper.Contracts, ChatSpec).Source("openai.chat-completions.Models.g.cs");

        var request = Class(models, "CreateChatCompletionRequest");
        // IAssignedNulls: the request has optional nullable properties, whose assigned nulls are written.
        Assert.Equal(
            ["global::Manifold.Contracts.IValidatable", "global::Manifold.Contracts.IAssignedNulls"],
            request.BaseList!.Types.Select(static t => t.ToString()));
        Assert.Equal("string", PropertyType(request, "Model"));
        Assert.Equal("global::System.Collections.Generic.List<global::Manifold.Contracts.OpenAI.ChatCompletionRequestMessage>", PropertyType(request, "Messages"));
        Assert.Equal("bool?", PropertyType(request, "Stream"));
        Assert.Equal("global::System.Collections.Generic.Dictionary<string, global::System.Text.Json.JsonElement>?", PropertyType(request, "AdditionalProperties"));
        Assert.Contains("global::System.Text.Json.Serialization.JsonExtensionData", Attributes(request, "AdditionalProperties"));
        Assert.Contains("global::System.Text.Json.Serialization.JsonPropertyName(\"max_completion_tokens\")", Attributes(request, "MaxCompletionTokens"));

        // Validate() checks the required members, by their JSON names.
        var validate = request.Members.OfType<MethodDeclarationSyntax>().Single(static m => m.Identifier.Text == "Validate").ToString();
        Assert.Contains("ValidationError.Missing(\"model\")", validate, StringComparison.Ordinal);
        Assert.Contains("ValidationError.Missing(\"messages\")", validate, StringComparison.Ordinal);
        Assert.DoesNotContain("Missing(\"stream\")", validate, StringComparison.Ordinal);
    }

    [Fact]
    public void Chat_spec_chunk_finish_reason_is_written_even_when_null()
    {
        var models = RunReal(GeneratorDriverHelper.Contracts, ChatSpec).Source("openai.chat-completions.Models.g.cs");

        var choice = Class(models, "CreateChatCompletionStreamResponseChoice");
        Assert.Equal("string?", PropertyType(choice, "FinishReason"));
        Assert.Contains(
            "global::System.Text.Json.Serialization.JsonIgnore(Condition = global::System.Text.Json.Serialization.JsonIgnoreCondition.Never)",
            Attributes(choice, "FinishReason"));
        // logprobs is required-and-nullable too: the API writes "logprobs": null on every chunk.
        Assert.Contains(Attributes(choice, "Logprobs"), static a => a.Contains("JsonIgnoreCondition.Never", StringComparison.Ordinal));
        // An optional property is left to the serializer's default: omitted when null.
        var chunk = Class(models, "CreateChatCompletionStreamResponse");
        Assert.DoesNotContain(Attributes(chunk, "Usage"), static a => a.Contains("JsonIgnore", StringComparison.Ordinal));
    }

    [Fact]
    public void Chat_spec_adapter_has_a_call_and_a_stream_method()
    {
        var adapter = RunReal(GeneratorDriverHelper.Contracts, ChatSpec).Source("openai.chat-completions.Adapter.g.cs");

        var methods = CSharpSyntaxTree.ParseText(adapter).GetRoot().DescendantNodes().OfType<InterfaceDeclarationSyntax>()
            .Single(static i => i.Identifier.Text == "IChatCompletionsAdapter")
            .Members.OfType<MethodDeclarationSyntax>()
            .Select(static m => $"{m.ReturnType} {m.Identifier}{m.ParameterList}")
            .ToList();
        Assert.Equal(
            [
                "global::System.Threading.Tasks.Task<global::Manifold.Contracts.OpenAI.CreateChatCompletionResponse> CreateChatCompletionAsync(global::Manifold.Contracts.OpenAI.CreateChatCompletionRequest request, global::Manifold.Contracts.AdapterContext context, global::System.Threading.CancellationToken cancellationToken)",
                "global::System.Collections.Generic.IAsyncEnumerable<global::Manifold.Contracts.OpenAI.CreateChatCompletionStreamResponse> CreateChatCompletionStreamAsync(global::Manifold.Contracts.OpenAI.CreateChatCompletionRequest request, global::Manifold.Contracts.AdapterContext context, global::System.Threading.CancellationToken cancellationToken)",
            ],
            methods);
    }

    private static ClassDeclarationSyntax Class(string source, string name) =>
        CSharpSyntaxTree.ParseText(source).GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().SingleOrDefault(c => c.Identifier.Text == name)
        ?? throw new Xunit.Sdk.XunitException($"No class '{name}' in the generated code.");

    private static PropertyDeclarationSyntax Property(ClassDeclarationSyntax type, string name) =>
        type.Members.OfType<PropertyDeclarationSyntax>().SingleOrDefault(p => p.Identifier.Text == name)
        ?? throw new Xunit.Sdk.XunitException($"No property '{name}' in '{type.Identifier}'.");

    private static string PropertyType(ClassDeclarationSyntax type, string name) => Property(type, name).Type.ToString();

    private static List<string> Attributes(ClassDeclarationSyntax type, string property) =>
        Property(type, property).AttributeLists.SelectMany(static l => l.Attributes).Select(static a => a.ToString()).ToList();
}
