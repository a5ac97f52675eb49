using Manifold.Generator.Tests.Infrastructure;
using static Manifold.Generator.Tests.DiagnosticsTests;

namespace Manifold.Generator.Tests;

/// <summary>Misused <c>in: query</c> parameters and <c>x-manifold-page</c>, reported at the line to fix.</summary>
public sealed class QueryParameterDiagnosticsTests
{
    /// <summary>
    /// A paged list: <c>{params}</c> is replaced by more parameters (from line 9, zero-based, after the header), <c>{page}</c>
    /// by the value of <c>x-manifold-page</c> (line 13 when no parameters are added).
    /// </summary>
    private const string Template = """
        paths:
          /v1/things:
            get:
              operationId: listThings
              parameters:
                - { name: pageSize, in: query, schema: { type: integer, default: 50 } }
                - { name: pageToken, in: query, schema: { type: string } }
        {params}
              responses:
                '200': { description: OK, content: { application/json: { schema: { $ref: '#/components/schemas/Page' } } } }
              x-manifold-route-by: all
              x-manifold-merge: things
              x-manifold-page: {page}
        components:
          schemas:
            Thing: { type: object, required: [name], properties: { name: { type: string }, size: { type: integer } } }
            Page:
              type: object
              properties:
                things: { type: array, items: { $ref: '#/components/schemas/Thing' } }
                nextPageToken: { type: string }
                more: { type: boolean }
        """;

    private const string TokenPage = "{ size: pageSize, token: pageToken, next: nextPageToken, key: name }";

    private static string Spec(string parameters = "", string page = TokenPage) =>
        Header + Template.Replace("{params}\n", parameters.Length == 0 ? string.Empty : parameters + "\n", StringComparison.Ordinal).Replace("{page}", page, StringComparison.Ordinal);

    private static GeneratorRun Run(string yaml) => GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, (SpecPath, yaml));

    private static void AssertOne(string yaml, string id, int line, string message)
    {
        var diagnostic = SingleDiagnostic(yaml);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_is_clean()
    {
        Assert.Empty(Run(Spec()).Diagnostics);
        Assert.Empty(Run(Spec("        - { name: filter, in: query, required: true, schema: { type: string } }")).Diagnostics);
    }

    [Theory]
    [InlineData("{ name: x, in: header, schema: { type: string } }", "MF0005", "parameter 'x' is 'in: header'; only path and query parameters are supported")]
    [InlineData("{ name: x, in: query, schema: { type: number } }", "MF0004", "the query parameter 'x' needs 'schema: { type: string | integer | boolean }'")]
    [InlineData("{ name: x, in: query }", "MF0004", "the query parameter 'x' needs 'schema")]
    [InlineData("{ name: x, in: query, schema: { type: integer, default: many } }", "MF0004", "the default of the query parameter 'x' is not an integer")]
    [InlineData("{ name: x, in: query, schema: { type: boolean, default: yes } }", "MF0004", "the default of the query parameter 'x' is not a boolean")]
    [InlineData("{ name: x, in: query, required: true, schema: { type: string, default: a } }", "MF0005", "the query parameter 'x' is required, so its default would never apply")]
    [InlineData("{ name: x, in: query, schema: { type: string, minimum: 1 } }", "MF0004", "'minimum' of the query parameter 'x' must be an integer, on an integer parameter")]
    [InlineData("{ name: x, in: query, schema: { type: integer, minimum: 5, maximum: 1 } }", "MF0004", "the query parameter 'x' has a minimum above its maximum")]
    [InlineData("{ name: pageSize, in: query, schema: { type: integer } }", "MF0006", "the query parameter 'pageSize' is declared twice")]
    [InlineData("{ name: page-size, in: query, schema: { type: integer } }", "MF0006", "the query parameter 'page-size' would be the C# name 'pageSize', which the handler or another parameter already uses")]
    [InlineData("{ name: request, in: query, schema: { type: string } }", "MF0006", "the query parameter 'request' would be the C# name 'request'")]
    public void A_malformed_query_parameter_points_at_it(string parameter, string id, string message)
    {
        AssertOne(Spec("        - " + parameter), id, 9, "listThings: " + message);
    }

    [Theory]
    [InlineData("[pageSize]", "'x-manifold-page' must be a mapping")]
    [InlineData("{ size: pageToken, token: pageToken, next: nextPageToken, key: name }", "'x-manifold-page' needs 'size: <optional integer query parameter>', not 'pageToken'")]
    [InlineData("{ size: pageSize, token: pageSize, next: nextPageToken, key: name }", "'x-manifold-page' needs 'token: <optional string query parameter>', not 'pageSize'")]
    [InlineData("{ size: pageSize, token: pageToken, next: things, key: name }", "'x-manifold-page' needs 'next: <string property of the response>', not 'things'")]
    [InlineData("{ size: pageSize, token: pageToken, next: nextPageToken, key: size }", "'x-manifold-page' needs 'key: <string property of the list item>', not 'size'")]
    [InlineData("{ size: pageSize, token: pageToken, next: nextPageToken, key: name, max-size: 0 }", "'max-size' must be a positive integer")]
    [InlineData("{ size: pageSize, token: pageToken, after: pageToken, before: pageToken, key: name, has-more: more, first: nextPageToken, last: nextPageToken }", "'x-manifold-page' takes 'token' (page tokens) or 'after'/'before' (cursors), not both")]
    [InlineData("{ size: pageSize, after: pageToken, before: pageToken, key: name, has-more: nextPageToken, first: nextPageToken, last: nextPageToken }", "'x-manifold-page' needs 'has-more: <boolean property of the response>', not 'nextPageToken'")]
    public void A_malformed_x_manifold_page_points_at_the_key(string page, string message)
    {
        AssertOne(Spec(page: page), "MF0005", 13, "listThings: " + message);
    }

    [Fact]
    public void A_page_size_without_a_default_is_reported()
    {
        var yaml = Spec().Replace("type: integer, default: 50", "type: integer", StringComparison.Ordinal);

        AssertOne(yaml, "MF0005", 13, "listThings: the page size parameter 'pageSize' needs a default");
    }

    [Fact]
    public void Paging_needs_a_fan_out_that_merges_a_list()
    {
        var yaml = Spec().Replace("      x-manifold-route-by: all\n      x-manifold-merge: things\n", "      x-manifold-route-by: { body: model }\n", StringComparison.Ordinal);
        var diagnostics = Run(yaml).Diagnostics;

        Assert.Contains(diagnostics, static d => d.Id == "MF0005" && d.GetMessage().Contains("'x-manifold-page' pages the list named by 'x-manifold-merge', so it needs 'x-manifold-route-by: all'", StringComparison.Ordinal));
    }
}
