using System;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace Manifold.Generator.Helpers
{
    /// <summary>Turns spec names (snake_case, camelCase, kebab-case) into C# identifiers.</summary>
    internal static class Naming
    {
        public static string ToPascalCase(string name)
        {
            var builder = new StringBuilder(name.Length);
            var upperNext = true;
            foreach (var c in name)
            {
                if (!char.IsLetterOrDigit(c))
                {
                    upperNext = true;
                    continue;
                }
                builder.Append(upperNext ? char.ToUpperInvariant(c) : c);
                upperNext = false;
            }
            if (builder.Length == 0 || char.IsDigit(builder[0]))
            {
                builder.Insert(0, '_');
            }
            var result = builder.ToString();
            return SyntaxFacts.GetKeywordKind(result) != SyntaxKind.None ? "@" + result : result;
        }

        public static string ToCamelCase(string name)
        {
            var pascal = ToPascalCase(name).TrimStart('@');
            var camel = char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
            return SyntaxFacts.GetKeywordKind(camel) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(camel) != SyntaxKind.None
                ? "@" + camel
                : camel;
        }

        /// <summary>
        /// The snake_case spelling of a camelCase JSON name: <c>systemInstruction</c> gives <c>system_instruction</c>.
        /// Every uppercase letter starts a word, which inverts protobuf's snake_case-to-lowerCamelCase JSON names.
        /// </summary>
        public static string ToSnakeCase(string name)
        {
            var builder = new StringBuilder(name.Length + 4);
            foreach (var c in name)
            {
                if (char.IsUpper(c))
                {
                    if (builder.Length > 0 && builder[builder.Length - 1] != '_')
                    {
                        builder.Append('_');
                    }
                    builder.Append(char.ToLowerInvariant(c));
                }
                else
                {
                    builder.Append(c);
                }
            }
            return builder.ToString();
        }

        /// <summary>Whether <paramref name="name"/> can be used as written as a C# identifier (not a keyword, no <c>@</c>).</summary>
        public static bool IsIdentifier(string name) =>
            SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

        /// <summary>A class name for the items of an array property: <c>choices</c> gives <c>Choice</c>.</summary>
        public static string Singular(string pascal)
        {
            if (pascal.EndsWith("ies", StringComparison.Ordinal) && pascal.Length > 3)
            {
                return pascal.Substring(0, pascal.Length - 3) + "y";
            }
            if (pascal.EndsWith("s", StringComparison.Ordinal) && !pascal.EndsWith("ss", StringComparison.Ordinal) && pascal.Length > 1)
            {
                return pascal.Substring(0, pascal.Length - 1);
            }
            return pascal + "Item";
        }

        public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
    }
}
