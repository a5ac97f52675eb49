using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using static Manifold.Generator.Tests.Infrastructure.SpecParsing;

namespace Manifold.Generator.Tests;

/// <summary><c>x-manifold: { snake-case-aliases: true }</c>: which properties get a snake_case alias, and under which names.</summary>
public sealed class ParserSnakeCaseTests
{
    private static ApiSpec Parse(string flag, string properties) => ParseClean($$"""
        openapi: 3.1.0
        x-manifold: { namespace: Manifold.Tests.Parsing, protocol: gemini, adapter: Things{{flag}} }
        paths: {}
        components:
          schemas:
            Thing:
              type: object
              properties:
        {{properties}}
        """);

    [Theory]
    [InlineData("systemInstruction", "system_instruction")]
    [InlineData("maxOutputTokens", "max_output_tokens")]
    [InlineData("topK", "top_k")]
    [InlineData("fileURI", "file_u_r_i")]
    [InlineData("candidate2Count", "candidate2_count")]
    [InlineData("already_Snake", "already_snake")]
    [InlineData("Leading", "leading")]
    [InlineData("plain", "plain")]
    public void ToSnakeCase_starts_a_word_at_every_uppercase_letter(string name, string expected)
    {
        Assert.Equal(expected, Naming.ToSnakeCase(name));
    }

    [Fact]
    public void Camel_case_properties_get_an_alias_and_others_do_not()
    {
        var thing = Schema(Parse(", snake-case-aliases: true", """
                    systemInstruction: { type: string }
                    role: { type: string }
                    response_schema: { type: object, properties: { propertyOrdering: { type: array, items: { type: string } } } }
            """), "Thing");

        Assert.Equal(new JsonAliasSpec("system_instruction", "SystemInstructionSnakeCase"), Property(thing, "systemInstruction").SnakeCase);
        Assert.Null(Property(thing, "role").SnakeCase);
        Assert.Null(Property(thing, "response_schema").SnakeCase);
    }

    [Fact]
    public void Inline_objects_get_aliases_too()
    {
        var spec = Parse(", snake-case-aliases: true", """
                    config: { type: object, properties: { topK: { type: integer } } }
            """);

        Assert.Equal(new JsonAliasSpec("top_k", "TopKSnakeCase"), Property(Schema(spec, "ThingConfig"), "topK").SnakeCase);
    }

    [Fact]
    public void An_alias_that_is_already_a_json_name_even_in_another_case_is_left_out()
    {
        var thing = Schema(Parse(", snake-case-aliases: true", """
                    fooBar: { type: string }
                    foo_bar: { type: string }
                    bazQux: { type: string }
                    Baz_Qux: { type: string }
                    Single: { type: string }
            """), "Thing");

        Assert.Null(Property(thing, "fooBar").SnakeCase);
        // baz_qux differs from Baz_Qux only in case, which ASP.NET Core's case-insensitive schema generation sees as the same name.
        Assert.Null(Property(thing, "bazQux").SnakeCase);
        Assert.Null(Property(thing, "Baz_Qux").SnakeCase);
        Assert.Null(Property(thing, "Single").SnakeCase);
    }

    [Fact]
    public void An_alias_whose_csharp_name_is_taken_is_suffixed()
    {
        var thing = Schema(Parse(", snake-case-aliases: true", """
                    topK: { type: integer }
                    top_k_snake_case: { type: integer }
            """), "Thing");

        Assert.Equal("TopKSnakeCase", Property(thing, "top_k_snake_case").ClrName);
        Assert.Equal(new JsonAliasSpec("top_k", "TopKSnakeCaseValue"), Property(thing, "topK").SnakeCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData(", snake-case-aliases: false")]
    public void Without_the_flag_there_are_no_aliases(string flag)
    {
        Assert.Null(Property(Schema(Parse(flag, "            systemInstruction: { type: string }"), "Thing"), "systemInstruction").SnakeCase);
    }
}
