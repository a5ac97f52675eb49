using Manifold.Generator.Tests.Infrastructure;
using static Manifold.Generator.Tests.DiagnosticsTests;

namespace Manifold.Generator.Tests;

/// <summary>
/// What a plugin's spec cannot use (MF0007) and the namespaces it cannot take (MF0008), reported at the line to change,
/// only where the specs are a plugin's: the same file is valid for Manifold's own specs.
/// </summary>
public sealed class PluginTargetDiagnosticsTests
{
    /// <summary>A list of things; <c>{0}</c> (line 8, zero-based) holds the operation's last keys.</summary>
    private const string ListOperation = """
        paths:
          /v1/things:
            get:
              operationId: listThings
              responses:
                '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Things' } } } }
        {0}
        components:
          schemas:
            Things: { type: object, properties: { model: { type: string }, data: { type: array, items: { type: string } } } }
        """;

    private static string List(string keys) => Header + ListOperation.Replace("{0}", keys);

    /// <summary>Valid for Manifold's own specs: the contracts generate, with no diagnostic.</summary>
    private static void AssertValidForContracts(string yaml)
    {
        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (SpecPath, yaml));
        Assert.Empty(run.Diagnostics);
        Assert.NotEmpty(run.Generator.GeneratedSources);
    }

    [Theory]
    [InlineData("      x-manifold-route-by: all\n      x-manifold-merge: data", "'x-manifold-route-by: all' (every platform answers and the host merges the lists) is for Manifold's own specs")]
    [InlineData("      x-manifold-route-by: tasks", "'x-manifold-route-by: tasks' (the host's task store answers) is for Manifold's own specs")]
    public void MF0007_routing_the_host_owns_points_at_the_route_by_value(string keys, string message)
    {
        var yaml = List(keys);

        AssertAt(SingleDiagnostic(yaml, GeneratorDriverHelper.Plugin), "MF0007", line: 8, column: 27, "listThings: " + message);
        AssertValidForContracts(yaml);
    }

    [Fact]
    public void MF0007_routing_by_job_id_points_at_the_route_by_mapping()
    {
        var yaml = Header + """
            paths:
              /v1/things/{id}:
                get:
                  operationId: getThing
                  parameters:
                    - { name: id, in: path, required: true, schema: { type: string } }
                  responses:
                    '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                  x-manifold-route-by: { task: id }
            components:
              schemas:
                Thing: { type: object, properties: { id: { type: string } } }
            """;

        AssertAt(SingleDiagnostic(yaml, GeneratorDriverHelper.Plugin), "MF0007", line: 10, column: 27, "getThing: 'x-manifold-route-by: { task: … }' (the host's task store finds the job)");
        AssertValidForContracts(yaml);
    }

    [Fact]
    public void MF0007_a_query_parameter_points_at_the_parameter()
    {
        var yaml = List(
            "      parameters:\n" +
            "        - { name: limit, in: query, schema: { type: integer, default: 20 } }\n" +
            "      x-manifold-route-by: all\n" +
            "      x-manifold-merge: data");

        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Plugin, (SpecPath, yaml));

        Assert.Empty(run.Generator.GeneratedSources);
        var diagnostics = run.Diagnostics.OrderBy(static d => d.Location.GetLineSpan().StartLinePosition.Line).ToList();
        Assert.Equal(2, diagnostics.Count);
        AssertAt(diagnostics[0], "MF0007", line: 9, column: 10, "listThings: query parameter 'limit' is not supported in a plugin's spec yet; take it in the JSON request body");
        AssertAt(diagnostics[1], "MF0007", line: 10, column: 27, "'x-manifold-route-by: all'");
        AssertValidForContracts(yaml);
    }

    [Fact]
    public void MF0007_a_form_body_and_a_binary_answer_point_at_their_media_types()
    {
        var yaml = Header + """
            paths:
              /v1/things:
                post:
                  operationId: renderThing
                  requestBody:
                    required: true
                    content:
                      multipart/form-data:
                        schema: { $ref: '#/components/schemas/Form' }
                  responses:
                    '200':
                      description: OK
                      content:
                        image/png:
                          schema: { type: string, format: binary }
                  x-manifold-route-by: { body: model }
            components:
              schemas:
                Form: { type: object, properties: { model: { type: string }, file: { type: string, format: binary } } }
            """;

        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Plugin, (SpecPath, yaml));

        Assert.Empty(run.Generator.GeneratedSources);
        Assert.Equal(2, run.Diagnostics.Length);
        AssertAt(run.Diagnostics[0], "MF0007", line: 9, column: 10, "renderThing: a multipart/form-data request body is not supported in a plugin's spec");
        AssertAt(run.Diagnostics[1], "MF0007", line: 15, column: 12, "renderThing: a binary response ('image/png') is not supported in a plugin's spec");
        AssertValidForContracts(yaml);
    }

    [Theory]
    [InlineData("Manifold.Contracts")]
    [InlineData("Manifold.Contracts.Rerank")]
    [InlineData("Manifold.Host.Generated")]
    public void MF0008_a_namespace_of_manifolds_own_specs_points_at_the_namespace(string ns)
    {
        var yaml = TestSpecs.Echo.Replace("Manifold.Tests.Echo", ns, StringComparison.Ordinal);

        AssertAt(SingleDiagnostic(yaml, GeneratorDriverHelper.Plugin), "MF0008", line: 2, column: 25, $"'x-manifold' namespace '{ns}' is ");
        // The contracts put Manifold's own specs there: the rule is the plugin target's alone.
        AssertValidForContracts(yaml);
    }

    [Theory]
    [InlineData("Manifold.ContractsExtra")]
    [InlineData("Acme.Manifold.Contracts")]
    public void A_namespace_that_only_looks_like_a_reserved_one_is_a_plugins_to_take(string ns)
    {
        var yaml = TestSpecs.Echo.Replace("Manifold.Tests.Echo", ns, StringComparison.Ordinal);

        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Plugin, (SpecPath, yaml)).AssertClean();

        Assert.Contains("test.broken.Endpoints.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void A_plugin_spec_error_stops_that_file_only()
    {
        var broken = List("      x-manifold-route-by: all\n      x-manifold-merge: data");
        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Plugin, (SpecPath, broken), (TestSpecs.EchoPath, TestSpecs.Echo));

        Assert.Equal("MF0007", Assert.Single(run.Diagnostics).Id);
        Assert.Equal(["test.echo.Adapter.g.cs", "test.echo.Endpoints.g.cs", "test.echo.Models.g.cs"], run.Sources.Keys.Order(StringComparer.Ordinal));
    }
}
