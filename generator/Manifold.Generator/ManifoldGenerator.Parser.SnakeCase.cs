using System;
using System.Collections.Generic;
using System.Linq;
using Manifold.Generator.Diagnostics;
using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using YamlDotNet.RepresentationModel;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        /// <summary>
        /// <c>snake-case-aliases</c>: APIs generated from protobuf (Gemini) accept every field under its proto
        /// name (<c>system_instruction</c>) as well as its JSON name (<c>systemInstruction</c>), and clients send both.
        /// </summary>
        internal sealed partial class Parser
        {
            private bool ReadSnakeCaseAliases(YamlMappingNode manifold)
            {
                var node = Get(manifold, "snake-case-aliases");
                switch ((node as YamlScalarNode)?.Value)
                {
                    case null when node is null:
                    case "false":
                        return false;
                    case "true":
                        return true;
                    default:
                        Report(DiagnosticDescriptors.MissingField, node!, "'x-manifold' snake-case-aliases must be true or false");
                        return false;
                }
            }

            /// <summary>
            /// Gives every property whose JSON name has an uppercase letter a snake_case alias, unless that name is
            /// taken. Names are compared ignoring case: ASP.NET Core's OpenAPI generator reads the DTOs with
            /// case-insensitive options, where <c>Foo</c> and <c>foo</c> would collide.
            /// </summary>
            private static void AddSnakeCaseAliases(List<PropertySpec> properties, HashSet<string> usedClrNames)
            {
                var taken = new HashSet<string>(properties.Select(static p => p.JsonName), StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < properties.Count; i++)
                {
                    var property = properties[i];
                    var snake = Naming.ToSnakeCase(property.JsonName);
                    if (!taken.Add(snake))
                    {
                        continue;
                    }
                    var clrName = property.ClrName.TrimStart('@') + "SnakeCase";
                    while (!usedClrNames.Add(clrName))
                    {
                        clrName += "Value";
                    }
                    properties[i] = property with { SnakeCase = new JsonAliasSpec(snake, clrName) };
                }
            }
        }
    }
}
