using Manifold.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Manifold.Generator.Tests;

/// <summary>
/// A malformed spec is a compiler error (MF0001…MF0006) at the offending YAML node, with file and line,
/// and never a generator crash; a spec with errors generates nothing.
/// </summary>
public sealed class DiagnosticsTests
{
    internal const string SpecPath = "/repo/specs/test/broken.yaml";

    internal const string Header = """
        openapi: 3.1.0
        x-manifold: { namespace: Manifold.Tests.Broken, protocol: openai, adapter: Broken }

        """;

    /// <summary>Runs the generator over one spec and returns its single diagnostic, checked to be an error in that file.</summary>
    internal static Diagnostic SingleDiagnostic(string yaml, string target = GeneratorDriverHelper.Contracts)
    {
        var run = GeneratorDriverHelper.Run(target, (SpecPath, yaml));

        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.Generator.GeneratedSources);
        var diagnostic = Assert.Single(run.Diagnostics);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(SpecPath, diagnostic.Location.GetLineSpan().Path);
        return diagnostic;
    }

    internal static void AssertAt(Diagnostic diagnostic, string id, int line, int column, string messagePart)
    {
        Assert.Equal(id, diagnostic.Id);
        // LinePosition is zero-based: line 4 in an editor is Line 3 here.
        Assert.Equal(new LinePosition(line, column), diagnostic.Location.GetLineSpan().StartLinePosition);
        Assert.Contains(messagePart, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void MF0001_invalid_yaml_points_at_the_syntax_error()
    {
        var diagnostic = SingleDiagnostic("""
            openapi: 3.1.0
            info:
              title: Broken
             version: "1"
            """);

        AssertAt(diagnostic, "MF0001", line: 3, column: 1, "Spec is not valid YAML");
    }

    [Theory]
    [InlineData("")]
    [InlineData("- just\n- a list\n")]
    [InlineData("just a scalar")]
    public void MF0001_a_document_that_is_not_a_mapping_is_reported_at_the_start(string yaml)
    {
        AssertAt(SingleDiagnostic(yaml), "MF0001", line: 0, column: 0, "the document must be a mapping");
    }

    [Fact]
    public void MF0002_missing_x_manifold_is_reported_at_the_document()
    {
        var diagnostic = SingleDiagnostic("""
            openapi: 3.1.0
            info: { title: No header, version: "1" }
            paths: {}
            """);

        AssertAt(diagnostic, "MF0002", line: 0, column: 0, "'x-manifold' must give 'namespace', 'protocol' and 'adapter'");
    }

    [Fact]
    public void MF0002_incomplete_x_manifold_is_reported_at_x_manifold()
    {
        var diagnostic = SingleDiagnostic("""
            openapi: 3.1.0
            x-manifold:
              namespace: Manifold.Tests.Broken
              protocol: openai
            paths: {}
            """);

        AssertAt(diagnostic, "MF0002", line: 2, column: 2, "'adapter'");
    }

    [Theory]
    [InlineData("namespace: Manifold Tests, protocol: openai, adapter: Broken", 25, "namespace 'Manifold Tests' is not a C# namespace name")]
    [InlineData("namespace: Manifold.Tests., protocol: openai, adapter: Broken", 25, "namespace 'Manifold.Tests.' is not a C# namespace name")]
    [InlineData("namespace: Manifold.Tests, protocol: openai, adapter: class", 68, "adapter 'class' is not a C# identifier")]
    [InlineData("namespace: Manifold.Tests, protocol: openai, adapter: Chat Completions", 68, "adapter 'Chat Completions' is not a C# identifier")]
    public void MF0002_x_manifold_names_that_are_not_csharp_names_are_reported_at_the_value(string fields, int column, string message)
    {
        var diagnostic = SingleDiagnostic($"openapi: 3.1.0\nx-manifold: {{ {fields} }}\npaths: {{}}\n");

        AssertAt(diagnostic, "MF0002", line: 1, column, message);
    }

    [Fact]
    public void MF0003_unresolved_ref_points_at_the_reference()
    {
        var diagnostic = SingleDiagnostic(Header + """
            paths: {}
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    other: { $ref: '#/components/schemas/Missing' }
            """);

        AssertAt(diagnostic, "MF0003", line: 8, column: 23, "'#/components/schemas/Missing' does not name a schema");
    }

    [Fact]
    public void MF0004_oneOf_of_two_objects_points_at_the_second_alternative()
    {
        var diagnostic = SingleDiagnostic(Header + """
            paths: {}
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    value:
                      oneOf:
                        - { $ref: '#/components/schemas/A' }
                        - { $ref: '#/components/schemas/B' }
                A: { type: object, properties: { a: { type: string } } }
                B: { type: object, properties: { b: { type: string } } }
            """);

        AssertAt(diagnostic, "MF0004", line: 11, column: 14, "two alternatives of JSON kind Object");
    }

    [Theory]
    [InlineData("a: { type: string, x-manifold-name: 'not valid' }", 44, "x-manifold-name 'not valid' is not a C# identifier")]
    [InlineData("a: { type: string, x-manifold-name: event }", 44, "x-manifold-name 'event' is not a C# identifier")]
    [InlineData("a: { type: object, x-manifold-type-name: 1Thing, properties: { b: { type: string } } }", 49, "x-manifold-type-name '1Thing' is not a C# identifier")]
    public void MF0004_name_overrides_that_are_not_csharp_identifiers_point_at_the_override(string property, int column, string message)
    {
        var diagnostic = SingleDiagnostic(Header + $"paths: {{}}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        {property}\n");

        AssertAt(diagnostic, "MF0004", line: 8, column, message);
    }

    [Fact]
    public void MF0005_missing_operationId_points_at_the_operation()
    {
        var diagnostic = SingleDiagnostic(Header + """
            paths:
              /v1/things:
                get:
                  summary: No id.
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema: { $ref: '#/components/schemas/Thing' }
                  x-manifold-route-by: all
            components:
              schemas:
                Thing: { type: object, properties: { id: { type: string } } }
            """);

        AssertAt(diagnostic, "MF0005", line: 5, column: 6, "GET /v1/things needs an operationId");
    }

    private const string StreamingOperation = """
        paths:
          /v1/things:
            post:
              operationId: createThing
              requestBody:
                content:
                  application/json:
                    schema: { $ref: '#/components/schemas/ThingRequest' }
              responses:
                '200':
                  description: OK
                  content:
                    application/json:
                      schema: { $ref: '#/components/schemas/Thing' }
                    text/event-stream:
                      schema: { $ref: '#/components/schemas/Thing' }
              x-manifold-route-by: { body: model }
        {0}
        components:
          schemas:
            ThingRequest:
              type: object
              properties:
                model: { type: string }
                stream: { type: boolean }
            Thing: { type: object, properties: { id: { type: string } } }
        """;

    [Fact]
    public void MF0005_a_stream_response_without_x_manifold_stream_points_at_the_operation()
    {
        var diagnostic = SingleDiagnostic(Header + StreamingOperation.Replace("{0}\n", string.Empty));

        AssertAt(diagnostic, "MF0005", line: 5, column: 6, "streaming needs a text/event-stream response and 'x-manifold-stream: { when: <boolean request property> }'");
    }

    [Theory]
    [InlineData("model")]
    [InlineData("no_such_property")]
    public void MF0005_x_manifold_stream_on_a_property_that_is_not_a_boolean_points_at_the_extension(string property)
    {
        var diagnostic = SingleDiagnostic(Header + StreamingOperation.Replace("{0}", $"      x-manifold-stream: {{ when: {property} }}"));

        AssertAt(diagnostic, "MF0005", line: 19, column: 25, "createThing: streaming needs");
    }

    [Fact]
    public void MF0006_duplicate_operationId_points_at_the_second_use()
    {
        var diagnostic = SingleDiagnostic(Header + """
            paths:
              /v1/things:
                get:
                  operationId: getThing
                  responses:
                    '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                  x-manifold-route-by: all
                  x-manifold-merge: items
              /v1/other-things:
                get:
                  operationId: getThing
                  responses:
                    '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Thing' } } } }
                  x-manifold-route-by: all
                  x-manifold-merge: items
            components:
              schemas:
                Thing:
                  type: object
                  properties:
                    items: { type: array, items: { type: string } }
            """);

        AssertAt(diagnostic, "MF0006", line: 12, column: 19, "operationId 'getThing' is used more than once");
    }

    [Fact]
    public void Diagnostics_are_only_reported_by_projects_that_generate_code()
    {
        var run = GeneratorDriverHelper.Run(target: null, (SpecPath, "- not a spec"));

        Assert.Null(run.Generator.Exception);
        Assert.Empty(run.Diagnostics);
        Assert.Empty(run.Generator.GeneratedSources);
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_not_only_the_first()
    {
        var run = GeneratorDriverHelper.Run(GeneratorDriverHelper.Host, (SpecPath, Header + """
            paths:
              /v1/a:
                get:
                  responses: {}
            components:
              schemas:
                A: { type: object, properties: { x: { $ref: '#/components/schemas/Nope' } } }
                B: { type: object, properties: { y: { type: date } } }
            """));

        Assert.Equal(["MF0003", "MF0004", "MF0005"], run.Diagnostics.Select(static d => d.Id).Order());
        Assert.Empty(run.Generator.GeneratedSources.Where(static s => s.HintName != "ManifoldEndpoints.g.cs"));
    }

    public static TheoryData<string> Garbage => new()
    {
        "\0\u0001\u0002\uFFFD binary",
        "{{{{",
        "[1, 2",
        "key: \"unterminated",
        "\t- tab: indented",
        "&a [*a, *a]",
        "*undefined_alias",
        "!!binary not-base64!!",
        "!!int twelve",
        "? complex key\n: value",
        "openapi: 3.1.0\nx-manifold: [namespace, protocol, adapter]\n",
        "openapi: 3.1.0\nx-manifold: { namespace: ~, protocol: ~, adapter: ~ }\n",
        "openapi: 3.1.0\nx-manifold: { namespace: global::A, protocol: \"\\\"\", adapter: \"A;B\" }\n",
        "openapi: 3.1.0\nx-manifold: { namespace: A, protocol: b, adapter: C }\npaths: [1, 2]\ncomponents: { schemas: [x] }\n",
        Header + "paths:\n  /v1/{a}/{:\n    get: { operationId: '', responses: { '': {} }, parameters: [1, { in: path }] }\n",
        Header + "paths:\n  ~: { post: { operationId: x, requestBody: { content: { application/json: { schema: [] } } } } }\n",
        Header + "paths: {}\ncomponents:\n  schemas:\n    '': { type: object, properties: { '': {}, '!': { type: [] }, '@': { type: {} } } }\n",
        Header + "paths: {}\ncomponents:\n  schemas:\n    A: { $ref: '#/components/schemas/A' }\n    B: { oneOf: [{ $ref: '#/components/schemas/B' }, { type: string }] }\n",
        Header + "paths: {}\ncomponents:\n  schemas:\n    A: { type: array, items: { $ref: '#/components/schemas/A' } }\n    C: { allOf: [{ $ref: '#/components/schemas/C' }] }\n",
        Header + "paths: {}\ncomponents:\n  schemas:\n    A: { type: object, required: [missing, 1, []], properties: { x: 5, y: [1] } }\n",
        Header + "paths: {}\ncomponents:\n  schemas:\n    A: { type: object, properties: { x: { type: string, x-manifold-name: '' }, y: { type: object, x-manifold-type-name: 'a b', properties: { z: {} } } } }\n",
        Header + "paths: {}\ncomponents:\n  schemas:\n    A: { type: object, properties: { x: { oneOf: [] }, y: { anyOf: [{ type: 'null' }] }, z: { enum: [] } } }\n",
        Header + "paths:\n  /v1/x:\n    get: { operationId: a, responses: { '200': { content: { application/json: { schema: { type: string } } } } }, x-manifold-route-by: { body: } }\n",
        Header + "paths:\n  /v1/x:\n    get: { operationId: a, responses: { '200': { content: { application/json: { schema: { $ref: '#/components/schemas/A' } } } } }, x-manifold-route-by: all, x-manifold-merge: [] }\ncomponents: { schemas: { A: { properties: { a: { type: integer } } } } }\n",
        Header + "paths:\n  /v1/{a}:x:\n    get: { operationId: a, responses: {}, x-manifold-stream: always, x-manifold-aliases: [~, 1, [], {}, '/{a}', '/{b}:x', '{', '/{}', '/}{'] }\n",
        Header + "paths:\n  '/{a}{b}':\n    post: { operationId: a, x-manifold-stream: { always: true }, x-manifold-aliases: { a: b }, x-manifold-route-by: all }\n  '/{a}':\n    post: { operationId: aStream, x-manifold-stream: [] }\n",
        "openapi: 3.1.0\nx-manifold: { namespace: A, protocol: b, adapter: C, snake-case-aliases: [] }\ncomponents: { schemas: { A: { properties: { aB: {}, a_b: {}, A_B: {} } } } }\n",
        "openapi: 3.1.0\nx-manifold: { namespace: A, protocol: b, adapter: C, snake-case-aliases: true }\ncomponents: { schemas: { A: { properties: { aB: {}, ABSnakeCase: {}, Validate: {}, validateX: {}, additionalProperties: {}, aDDITIONAL: {}, 'x Y': {} } } } }\n",
        Header + "paths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n" + string.Concat(Enumerable.Range(0, 200).Select(static i => $"        {new string('x', (i % 7) + 1)}: {{ type: string }}\n")),
        Header + "paths: {}\ncomponents:\n  schemas:\n    Deep:" + string.Concat(Enumerable.Range(0, 60).Select(static i => "\n" + new string(' ', 6 + (2 * i)) + "type: object\n" + new string(' ', 6 + (2 * i)) + "properties:\n" + new string(' ', 8 + (2 * i)) + "p:")) + " { type: string }\n",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Garbage_input_never_crashes_the_generator(string yaml)
    {
        foreach (var target in new[] { GeneratorDriverHelper.Contracts, GeneratorDriverHelper.Host })
        {
            var run = GeneratorDriverHelper.Run(target, (SpecPath, yaml));

            Assert.Null(run.Generator.Exception);
            // CS8784/CS8785 are "generator failed": it threw during initialization or generation.
            Assert.DoesNotContain(run.Diagnostics, static d => d.Id is "CS8784" or "CS8785" || !d.Id.StartsWith("MF", StringComparison.Ordinal));
            Assert.All(run.Diagnostics, static d => Assert.Equal(SpecPath, d.Location.GetLineSpan().Path));
            // Either the input is rejected with a diagnostic, or what it generates is valid C#.
            if (run.Diagnostics.IsEmpty)
            {
                Assert.Empty(run.CompileErrors());
            }
        }
    }
}
