using Manifold.Generator.Tests.Infrastructure;
using static Manifold.Generator.Tests.DiagnosticsTests;

namespace Manifold.Generator.Tests;

/// <summary>Misused <c>x-manifold-stream: always</c>, <c>x-manifold-aliases</c>, route patterns and <c>snake-case-aliases</c>, reported at the line to fix.</summary>
public sealed class OperationExtensionDiagnosticsTests
{
    /// <summary>A streaming-only operation on a complex segment; <c>{0}</c> is replaced by operation keys at line 15 (zero-based).</summary>
    private const string Operation = """
        paths:
          /v1/models/{model}:generate:
            post:
              operationId: generate
              parameters:
                - { name: model, in: path, required: true, schema: { type: string } }
              responses:
                '200':
                  description: OK
                  content:
                    text/event-stream:
                      schema: { $ref: '#/components/schemas/Chunk' }
              x-manifold-route-by: { path: model }
        {0}
          /v1/models:
            get:
              operationId: listModels
              responses:
                '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Chunk' } } } }
              x-manifold-route-by: all
              x-manifold-merge: items
        components:
          schemas:
            Chunk: { type: object, properties: { text: { type: string }, items: { type: array, items: { type: string } } } }
        """;

    private static string Spec(string keys) => Header + Operation.Replace("{0}", keys);

    [Fact]
    public void The_operation_template_is_clean_with_stream_always()
    {
        var run = Run(Spec("      x-manifold-stream: always"));

        Assert.Empty(run.Diagnostics);
    }

    [Theory]
    [InlineData("sometimes", "not 'sometimes'")]
    [InlineData("true", "not 'true'")]
    [InlineData("[always]", "not a list")]
    public void MF0005_an_unknown_x_manifold_stream_value_points_at_the_value(string value, string message)
    {
        var diagnostic = SingleDiagnostic(Spec($"      x-manifold-stream: {value}"));

        AssertAt(diagnostic, "MF0005", line: 15, column: 25, "generate: 'x-manifold-stream' must be 'always' or { when: <boolean request property> }, " + message);
    }

    [Fact]
    public void MF0005_stream_always_without_an_event_stream_response_points_at_the_value()
    {
        var diagnostic = SingleDiagnostic(Spec("      x-manifold-stream: always").Replace("text/event-stream:", "application/json:", StringComparison.Ordinal));

        AssertAt(diagnostic, "MF0005", line: 15, column: 25, "generate: 'x-manifold-stream: always' needs a 2xx response with a text/event-stream schema");
    }

    [Fact]
    public void MF0005_stream_always_cannot_fan_out()
    {
        var diagnostic = SingleDiagnostic(Spec("      x-manifold-stream: always").Replace("x-manifold-route-by: { path: model }", "x-manifold-route-by: all", StringComparison.Ordinal));

        AssertAt(diagnostic, "MF0005", line: 15, column: 25, "'x-manifold-stream: always' cannot be combined with 'x-manifold-route-by: all'");
    }

    [Theory]
    [InlineData("/v1/models/{model}:generate2", null)]
    [InlineData("/v1/models/{name}:generate", "must have the path parameters of '/v1/models/{model}:generate' (model), not (name)")]
    [InlineData("/v1/generate", "must have the path parameters of '/v1/models/{model}:generate' (model), not (none)")]
    [InlineData("/v1/{tenant}/models/{model}:generate", "must have the path parameters of '/v1/models/{model}:generate' (model), not (model, tenant)")]
    [InlineData("v1/models/{model}:generate", "must start with '/'")]
    [InlineData("/v1//models/{model}:generate", "has an empty segment")]
    [InlineData("/v1/models/{model:int}", "has the parameter '{model:int}'; only plain names are supported")]
    [InlineData("/v1/models/{*model}", "has the parameter '{*model}'; only plain names are supported")]
    [InlineData("/v1/models/{model}{verb}", "has two parameters with nothing between them")]
    [InlineData("/v1/models/{model}/{model}", "has the parameter '{model}' twice")]
    [InlineData("/v1/models/{model", "has a '{' without a matching '}'")]
    [InlineData("/v1/models/model}", "has a '}' without a matching '{'")]
    [InlineData("/v1/models/{model}?alt=sse", "has '?'")]
    public void MF0005_an_alias_that_is_not_a_route_with_the_same_parameters_points_at_the_alias(string alias, string? message)
    {
        var yaml = Spec($"      x-manifold-stream: always\n      x-manifold-aliases:\n        - '{alias}'");
        if (message is null)
        {
            Assert.Empty(Run(yaml).Diagnostics);
            return;
        }

        AssertAt(SingleDiagnostic(yaml), "MF0005", line: 17, column: 10, $"generate: the alias '{alias}' {message}");
    }

    [Theory]
    [InlineData("x-manifold-aliases: /v1/models/{model}:generate2", 26, "'x-manifold-aliases' must be a list of route patterns")]
    [InlineData("x-manifold-aliases: [[/v1/x]]", 27, "each of 'x-manifold-aliases' must be a route pattern")]
    [InlineData("x-manifold-aliases: ['']", 27, "each of 'x-manifold-aliases' must be a route pattern")]
    public void MF0005_malformed_x_manifold_aliases_point_at_the_node(string keys, int column, string message)
    {
        var diagnostic = SingleDiagnostic(Spec("      x-manifold-stream: always\n      " + keys));

        AssertAt(diagnostic, "MF0005", line: 16, column, message);
    }

    [Theory]
    [InlineData("/v1/models/{model}:generate")]
    [InlineData("/V1/Models/{model}:Generate")]
    [InlineData("/v1/models/{model}:generate2', '/V1/models/{model}:Generate2")]
    public void MF0006_an_alias_that_is_already_a_route_points_at_the_alias(string aliases)
    {
        var diagnostic = SingleDiagnostic(Spec($"      x-manifold-stream: always\n      x-manifold-aliases: ['{aliases}']"));

        Assert.Equal("MF0006", diagnostic.Id);
        Assert.Equal(16, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains("is already a route of this spec", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get", true)]
    [InlineData("post", false)]
    public void MF0006_an_alias_may_not_shadow_a_route_of_the_same_method_even_one_declared_later(string laterMethod, bool clash)
    {
        var yaml = Header + $$"""
            paths:
              /v1/a/{id}:
                get:
                  operationId: getA
                  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
                  responses: { '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } } }
                  x-manifold-route-by: { path: id }
                  x-manifold-aliases: ['/v1/b/{id}']
              /v1/b/{id}:
                {{laterMethod}}:
                  operationId: getB
                  parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
                  responses: { '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } } }
                  x-manifold-route-by: { path: id }
            components:
              schemas:
                Thing: { type: object, properties: { id: { type: string } } }
            """;

        if (!clash)
        {
            Assert.Empty(Run(yaml).Diagnostics);
            return;
        }
        AssertAt(SingleDiagnostic(yaml), "MF0006", line: 9, column: 27, "getA: GET /v1/b/{id} is already a route of this spec");
    }

    [Fact]
    public void MF0005_a_path_that_is_not_a_route_points_at_the_path()
    {
        var diagnostic = SingleDiagnostic(Spec("      x-manifold-stream: always").Replace("/v1/models/{model}:generate:", "/v1/models/{model}/{model}:", StringComparison.Ordinal));

        AssertAt(diagnostic, "MF0005", line: 3, column: 2, "the path '/v1/models/{model}/{model}' has the parameter '{model}' twice");
    }

    [Fact]
    public void MF0006_a_stream_method_that_another_operation_already_declares_points_at_the_operationId()
    {
        var diagnostic = SingleDiagnostic(Header + """
            paths:
              /v1/things:
                post:
                  operationId: createThing
                  requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json: { schema: { $ref: '#/components/schemas/Thing' } }
                        text/event-stream: { schema: { $ref: '#/components/schemas/Thing' } }
                  x-manifold-stream: { when: stream }
                  x-manifold-route-by: { body: model }
              /v1/things:stream:
                post:
                  operationId: createThingStream
                  requestBody: { content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                  responses:
                    '200': { description: OK, content: { text/event-stream: { schema: { $ref: '#/components/schemas/Thing' } } } }
                  x-manifold-stream: always
                  x-manifold-route-by: { body: model }
            components:
              schemas:
                Thing: { type: object, properties: { model: { type: string }, stream: { type: boolean } } }
            """);

        AssertAt(diagnostic, "MF0006", line: 17, column: 19, "operationId 'createThingStream' gives the adapter method 'CreateThingStreamAsync', which another operation already has");
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("[true]")]
    public void MF0002_snake_case_aliases_must_be_a_boolean(string value)
    {
        var diagnostic = SingleDiagnostic($"openapi: 3.1.0\nx-manifold: {{ namespace: A, protocol: b, adapter: C, snake-case-aliases: {value} }}\npaths: {{}}\n");

        AssertAt(diagnostic, "MF0002", line: 1, column: 73, "'x-manifold' snake-case-aliases must be true or false");
    }

    /// <summary>Runs the generator over a spec expected to be valid (or checked another way than by <see cref="SingleDiagnostic"/>).</summary>
    private static GeneratorRun Run(string yaml) => GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (SpecPath, yaml));
}
