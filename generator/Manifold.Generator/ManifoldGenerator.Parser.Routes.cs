using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Manifold.Generator.Diagnostics;
using Manifold.Generator.Helpers;
using YamlDotNet.RepresentationModel;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        /// <summary>
        /// Route patterns: the path keys and <c>x-manifold-aliases</c>. They are handed to ASP.NET Core as they are,
        /// so what its route parser would reject at startup is reported here, at the spec line, instead.
        /// </summary>
        internal sealed partial class Parser
        {
            /// <summary>Every <c>METHOD pattern</c> of this file (see <see cref="RouteKey"/>), so that an alias cannot shadow another route.</summary>
            private readonly HashSet<string> _routes = new HashSet<string>(StringComparer.Ordinal);

            /// <summary>Records the routes of every operation in <paramref name="paths"/> and reports path keys that are not valid routes.</summary>
            private void CollectRoutes(YamlMappingNode paths)
            {
                foreach (var entry in paths.Children)
                {
                    if (!(entry.Key is YamlScalarNode key) || !(entry.Value is YamlMappingNode pathItem))
                    {
                        continue;
                    }
                    var path = key.Value ?? string.Empty;
                    var methods = HttpMethods.Where(m => Get(pathItem, m) is YamlMappingNode).ToList();
                    if (methods.Count > 0 && RouteProblem(path) is { } problem)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, key, $"the path '{path}' {problem}");
                    }
                    foreach (var method in methods)
                    {
                        _routes.Add(RouteKey(method.ToUpperInvariant(), path));
                    }
                }
            }

            /// <summary>
            /// <c>x-manifold-aliases</c>: more patterns for the same handler. Each must bind the same path parameters
            /// as <paramref name="path"/>, since the handler reads them by name, and must not be a route already served.
            /// </summary>
            private EquatableArray<string> ParseAliases(YamlMappingNode operation, string operationId, string method, string path)
            {
                var node = Get(operation, "x-manifold-aliases");
                if (node is null)
                {
                    return EquatableArray<string>.Empty;
                }
                if (!(node is YamlSequenceNode list))
                {
                    Report(DiagnosticDescriptors.InvalidOperation, node, $"{operationId}: 'x-manifold-aliases' must be a list of route patterns");
                    return EquatableArray<string>.Empty;
                }

                var expected = ParameterSet(path);
                var aliases = new List<string>();
                foreach (var item in list.Children)
                {
                    if (!(item is YamlScalarNode scalar) || string.IsNullOrEmpty(scalar.Value))
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, item, $"{operationId}: each of 'x-manifold-aliases' must be a route pattern such as '/v1/things/{{id}}'");
                        continue;
                    }
                    var alias = scalar.Value!;
                    if (RouteProblem(alias) is { } problem)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, item, $"{operationId}: the alias '{alias}' {problem}");
                        continue;
                    }
                    var actual = ParameterSet(alias);
                    if (actual != expected)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, item,
                            $"{operationId}: the alias '{alias}' must have the path parameters of '{path}' ({Describe(expected)}), not ({Describe(actual)})");
                        continue;
                    }
                    if (!_routes.Add(RouteKey(method, alias)))
                    {
                        Report(DiagnosticDescriptors.Duplicate, item, $"{operationId}: {method} {alias} is already a route of this spec");
                        continue;
                    }
                    aliases.Add(alias);
                }
                return aliases.ToEquatableArray();
            }

            private static string ParameterSet(string path) => string.Join(", ", TemplateParameters(path).OrderBy(static p => p, StringComparer.Ordinal));

            private static string Describe(string parameters) => parameters.Length == 0 ? "none" : parameters;

            /// <summary>
            /// Two patterns that ASP.NET Core cannot tell apart map to the same key: literals match ignoring case,
            /// and parameter names do not matter to matching.
            /// </summary>
            private static string RouteKey(string method, string path)
            {
                var key = new StringBuilder(method.Length + path.Length + 1).Append(method).Append(' ');
                var inParameter = false;
                foreach (var c in path)
                {
                    if (c == '{' || c == '}')
                    {
                        inParameter = c == '{';
                        key.Append(c);
                    }
                    else if (!inParameter)
                    {
                        key.Append(char.ToLowerInvariant(c));
                    }
                }
                return key.ToString();
            }

            /// <summary>
            /// Why ASP.NET Core would reject <paramref name="path"/> as a route template, or null. Only plain
            /// <c>{name}</c> parameters are allowed (no constraints, defaults, optional or catch-all markers), alone
            /// in a segment or inside one with literals around them, such as <c>{model}:generateContent</c>.
            /// </summary>
            private static string? RouteProblem(string path)
            {
                if (!path.StartsWith("/", StringComparison.Ordinal))
                {
                    return "must start with '/'";
                }
                if (path.Contains("//"))
                {
                    return "has an empty segment ('//')";
                }
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                for (var i = 0; i < path.Length; i++)
                {
                    switch (path[i])
                    {
                        case '{':
                            var end = path.IndexOf('}', i);
                            var name = end < 0 ? string.Empty : path.Substring(i + 1, end - i - 1);
                            if (end < 0 || name.IndexOfAny(new[] { '{', '/' }) >= 0)
                            {
                                return "has a '{' without a matching '}'";
                            }
                            if (name.Length == 0 || name.IndexOfAny(new[] { ':', '=', '?', '*' }) >= 0)
                            {
                                return $"has the parameter '{{{name}}}'; only plain names are supported, without constraints, defaults or '?'/'*' markers";
                            }
                            if (!seen.Add(name))
                            {
                                return $"has the parameter '{{{name}}}' twice";
                            }
                            if (end + 1 < path.Length && path[end + 1] == '{')
                            {
                                return "has two parameters with nothing between them; a literal must separate them";
                            }
                            i = end;
                            break;
                        case '}':
                            return "has a '}' without a matching '{'";
                        case '?':
                        case '#':
                            return $"has '{path[i]}'; a route pattern has no query or fragment";
                    }
                }
                return null;
            }

            private static IEnumerable<string> TemplateParameters(string path)
            {
                var start = path.IndexOf('{');
                while (start >= 0)
                {
                    var end = path.IndexOf('}', start);
                    if (end < 0)
                    {
                        yield break;
                    }
                    yield return path.Substring(start + 1, end - start - 1);
                    start = path.IndexOf('{', end);
                }
            }
        }
    }
}
