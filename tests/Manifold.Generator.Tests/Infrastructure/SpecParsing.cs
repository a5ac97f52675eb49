using Manifold.Generator.Model;
using Parser = Manifold.Generator.ManifoldGenerator.Parser;

namespace Manifold.Generator.Tests.Infrastructure;

/// <summary>Runs the parser alone and looks things up in its model, for tests of one construct each.</summary>
internal static class SpecParsing
{
    public const string Header = """
        openapi: 3.1.0
        info: { title: Parser test, version: "1" }
        x-manifold: { namespace: Manifold.Tests.Parsing, protocol: openai, adapter: Things }

        """;

    /// <summary>Parses <paramref name="yaml"/> and fails the test on any diagnostic.</summary>
    public static ApiSpec ParseClean(string yaml)
    {
        var result = Parser.Parse("/repo/specs/test/things.yaml", yaml, CancellationToken.None);
        Assert.Empty(result.Diagnostics.Select(static d => $"{d.Id} at {d.LineSpan.Start}: {d.MessageArgs[0]}"));
        return Assert.IsType<ApiSpec>(result.Spec);
    }

    public static OperationSpec Operation(ApiSpec spec, string operationId) =>
        spec.Operations.SingleOrDefault(o => o.OperationId == operationId)
        ?? throw new Xunit.Sdk.XunitException($"No operation '{operationId}'; have {string.Join(", ", spec.Operations.Select(static o => o.OperationId))}");

    public static SchemaSpec Schema(ApiSpec spec, string name) =>
        spec.Schemas.SingleOrDefault(s => s.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No schema '{name}'; have {string.Join(", ", spec.Schemas.Select(static s => s.Name))}");

    public static PropertySpec Property(SchemaSpec schema, string jsonName) =>
        schema.Properties.SingleOrDefault(p => p.JsonName == jsonName)
        ?? throw new Xunit.Sdk.XunitException($"No property '{jsonName}' in '{schema.Name}'");
}
