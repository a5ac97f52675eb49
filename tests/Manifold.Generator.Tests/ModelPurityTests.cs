using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using Manifold.Generator.Diagnostics;
using Manifold.Generator.Model;
using Manifold.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Parser = Manifold.Generator.ManifoldGenerator.Parser;

namespace Manifold.Generator.Tests;

/// <summary>
/// The incremental pipeline caches by value equality, so its models must be plain data: no Roslyn objects
/// (which are not equatable across runs and keep whole compilations alive), and equal for equal input.
/// </summary>
public sealed class ModelPurityTests
{
    private static readonly Type[] Forbidden =
        [typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Location), typeof(Diagnostic)];

    private const string BrokenSpec =
        "openapi: 3.1.0\nx-manifold: { namespace: A, protocol: b, adapter: C }\ncomponents: { schemas: { A: { properties: { x: { $ref: '#/nope' } } } } }\n";

    public static TheoryData<string, string> Inputs => new()
    {
        { "openai/chat-completions.yaml", GeneratorDriverHelper.ReadSpec("openai/chat-completions.yaml") },
        { "openai/models.yaml", GeneratorDriverHelper.ReadSpec("openai/models.yaml") },
        { "test/sample.yaml", TestSpecs.Sample },
        // Aliases, a streaming-only operation and snake_case property aliases.
        { "test/gen.yaml", TestSpecs.Gen },
        // Query parameters and both paging styles.
        { "test/paged.yaml", TestSpecs.Paged },
        // A broken spec: the result holds diagnostics instead of a spec.
        { "test/broken.yaml", BrokenSpec },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Parse_results_hold_no_roslyn_objects(string file, string text)
    {
        var result = Parser.Parse("/repo/specs/" + file, text, CancellationToken.None);

        var count = Walk(result, "result", new HashSet<object>(ReferenceEqualityComparer.Instance));

        Assert.True(count > 10, $"walked only {count} values");
        Assert.Equal(text == BrokenSpec, result.Spec is null);
        Assert.Equal(text == BrokenSpec, result.Diagnostics.Count > 0);
    }

    [Fact]
    public void Model_types_declare_no_roslyn_members()
    {
        var seen = new HashSet<Type>();
        CheckType(typeof(ParseResult), "ParseResult", seen);

        // Every model record was reached, so the check covered them all.
        Assert.Superset(
            new HashSet<Type>
            {
                typeof(ApiSpec), typeof(SchemaSpec), typeof(PropertySpec), typeof(TypeRef), typeof(EnumSpec), typeof(UnionCaseSpec),
                typeof(OperationSpec), typeof(RouteBySpec), typeof(MergeSpec), typeof(JsonAliasSpec), typeof(DiagnosticInfo),
                typeof(QueryParameterSpec), typeof(PagingSpec),
            },
            seen);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Two_parses_of_the_same_text_are_equal_with_equal_hash_codes(string file, string text)
    {
        var path = "/repo/specs/" + file;
        var first = Parser.Parse(path, text, CancellationToken.None);
        // A different string instance with the same content, as a re-read file would be.
        var second = Parser.Parse(path, new string(text.AsSpan()), CancellationToken.None);

        Assert.NotSame(first, second);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        if (first.Spec is not null)
        {
            Assert.NotSame(first.Spec, second.Spec);
            Assert.Equal(first.Spec.GetHashCode(), second.Spec!.GetHashCode());
        }
    }

    [Fact]
    public void A_different_spec_text_gives_an_unequal_result()
    {
        var path = "/repo/specs/test/sample.yaml";
        var first = Parser.Parse(path, TestSpecs.Sample, CancellationToken.None);
        var second = Parser.Parse(path, TestSpecs.Sample.Replace("enum: [fast, careful, by-the-book]", "enum: [fast, careful]", StringComparison.Ordinal), CancellationToken.None);

        Assert.NotEqual(first, second);
    }

    /// <summary>Visits every value reachable through public instance properties and collection items; returns how many.</summary>
    private static int Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null)
        {
            return 0;
        }
        var type = value.GetType();
        foreach (var forbidden in Forbidden)
        {
            Assert.False(forbidden.IsInstanceOfType(value), $"{path} is a {type} ({forbidden.Name})");
        }
        if (type.IsPrimitive || type.IsEnum || value is string or decimal)
        {
            return 1;
        }
        if (!type.IsValueType && !visited.Add(value))
        {
            return 0;
        }

        var count = 1;
        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                count += Walk(item, $"{path}[{index++}]", visited);
            }
            return count;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0)
            {
                count += Walk(property.GetValue(value), $"{path}.{property.Name}", visited);
            }
        }
        return count;
    }

    /// <summary>Checks declared types too, so that a Roslyn-typed member that happens to be null cannot hide from <see cref="Walk"/>.</summary>
    private static void CheckType(Type type, string path, HashSet<Type> seen)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || !seen.Add(type))
        {
            return;
        }
        Assert.NotEqual(typeof(object), type);
        Assert.DoesNotContain(Forbidden, forbidden => forbidden.IsAssignableFrom(type) || type.IsAssignableFrom(forbidden));

        var element = type.IsGenericType && type.GetGenericTypeDefinition().Name.StartsWith("EquatableArray", StringComparison.Ordinal)
            ? type.GetGenericArguments()[0]
            : Nullable.GetUnderlyingType(type);
        if (element is not null)
        {
            CheckType(element, path + "[]", seen);
            return;
        }
        if (type.Namespace?.StartsWith("Manifold.Generator", StringComparison.Ordinal) != true)
        {
            // Roslyn value types used as plain data (TextSpan, LinePositionSpan) are allowed leaves.
            Assert.True(type.IsValueType, $"{path} has the non-model reference type {type}");
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(static p => p.GetIndexParameters().Length == 0))
        {
            CheckType(property.PropertyType, $"{path}.{property.Name}", seen);
        }
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Where(static f => f.GetCustomAttribute<CompilerGeneratedAttribute>() is null))
        {
            CheckType(field.FieldType, $"{path}.{field.Name}", seen);
        }
    }
}
