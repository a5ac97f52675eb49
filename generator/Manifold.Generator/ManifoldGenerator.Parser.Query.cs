using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Manifold.Generator.Diagnostics;
using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using YamlDotNet.RepresentationModel;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        /// <summary><c>in: query</c> parameters and <c>x-manifold-page</c>.</summary>
        internal sealed partial class Parser
        {
            /// <summary>
            /// Locals of the generated handler and parameters of the adapter method: a query parameter whose C# name is
            /// one of these would not compile there, so it is reported here.
            /// </summary>
            private static readonly HashSet<string> ReservedLocals = new HashSet<string>(StringComparer.Ordinal)
            {
                "http", "call", "query", "paging", "page", "request", "target", "adapter", "context", "cancellationToken", "results", "result", "items",
            };

            /// <summary>
            /// The <c>in: query</c> parameters of the path item and the operation, in order (the operation's own come last). A query
            /// parameter is a string, an integer or a boolean, optionally with a <c>default</c> and, for integers, <c>minimum</c>/<c>maximum</c>.
            /// </summary>
            private List<QueryParameterSpec> ParseQueryParameters(YamlMappingNode pathItem, YamlMappingNode operation, string operationId, List<string> pathParameters)
            {
                var result = new List<QueryParameterSpec>();
                var clrNames = new HashSet<string>(pathParameters.Select(Naming.ToCamelCase), StringComparer.Ordinal);
                foreach (var parameters in new[] { Get(pathItem, "parameters"), Get(operation, "parameters") })
                {
                    if (!(parameters is YamlSequenceNode list))
                    {
                        continue;
                    }
                    foreach (var parameter in list.Children.OfType<YamlMappingNode>())
                    {
                        var location = Scalar(parameter, "in");
                        var name = Scalar(parameter, "name");
                        if (location != "query")
                        {
                            if (location != "path")
                            {
                                Report(DiagnosticDescriptors.InvalidOperation, Get(parameter, "in") ?? parameter,
                                    $"{operationId}: parameter '{name}' is 'in: {location}'; only path and query parameters are supported");
                            }
                            continue;
                        }
                        if (string.IsNullOrEmpty(name))
                        {
                            Report(DiagnosticDescriptors.InvalidOperation, parameter, $"{operationId}: a query parameter needs a name");
                            continue;
                        }
                        if (result.Any(q => q.Name == name))
                        {
                            Report(DiagnosticDescriptors.Duplicate, Get(parameter, "name")!, $"{operationId}: the query parameter '{name}' is declared twice");
                            continue;
                        }
                        var clrName = Naming.ToCamelCase(name!);
                        if (ReservedLocals.Contains(clrName.TrimStart('@')) || !clrNames.Add(clrName))
                        {
                            Report(DiagnosticDescriptors.Duplicate, Get(parameter, "name")!,
                                $"{operationId}: the query parameter '{name}' would be the C# name '{clrName}', which the handler or another parameter already uses");
                            continue;
                        }
                        if (ParseQueryParameter(parameter, name!, clrName, operationId) is { } parsed)
                        {
                            result.Add(parsed);
                        }
                    }
                }
                return result;
            }

            private QueryParameterSpec? ParseQueryParameter(YamlMappingNode parameter, string name, string clrName, string operationId)
            {
                var schema = Get(parameter, "schema") as YamlMappingNode;
                var typeName = schema is null ? null : Scalar(schema, "type");
                TypeKind type;
                switch (typeName)
                {
                    case "string":
                        type = TypeKind.String;
                        break;
                    case "integer":
                        type = TypeKind.Integer;
                        break;
                    case "boolean":
                        type = TypeKind.Boolean;
                        break;
                    default:
                        Report(DiagnosticDescriptors.UnsupportedSchema, (YamlNode?)schema ?? parameter,
                            $"{operationId}: the query parameter '{name}' needs 'schema: {{ type: string | integer | boolean }}'");
                        return null;
                }
                var required = Scalar(parameter, "required") == "true";
                var errorCount = _diagnostics.Count;
                string? defaultValue = null;
                if (Get(schema!, "default") is { } defaultNode)
                {
                    defaultValue = Literal(type, (defaultNode as YamlScalarNode)?.Value);
                    if (defaultValue is null)
                    {
                        Report(DiagnosticDescriptors.UnsupportedSchema, defaultNode, $"{operationId}: the default of the query parameter '{name}' is not {(type == TypeKind.Integer ? "an" : "a")} {typeName}");
                    }
                    else if (required)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, defaultNode, $"{operationId}: the query parameter '{name}' is required, so its default would never apply");
                    }
                }
                var minimum = Bound(schema!, "minimum", type, name, operationId);
                var maximum = Bound(schema!, "maximum", type, name, operationId);
                if (minimum is not null && maximum is not null && minimum > maximum)
                {
                    Report(DiagnosticDescriptors.UnsupportedSchema, schema!, $"{operationId}: the query parameter '{name}' has a minimum above its maximum");
                }
                if (_diagnostics.Count != errorCount)
                {
                    return null;
                }
                return new QueryParameterSpec(name, clrName, type, required, defaultValue, minimum, maximum, Scalar(parameter, "description"), Paging: false,
                    BodyProperty: Scalar(parameter, "x-manifold-body"));
            }

            /// <summary><c>minimum</c> or <c>maximum</c>: an integer, on an integer parameter only.</summary>
            private long? Bound(YamlMappingNode schema, string key, TypeKind type, string name, string operationId)
            {
                if (!(Get(schema, key) is { } node))
                {
                    return null;
                }
                if (type == TypeKind.Integer && node is YamlScalarNode scalar && long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
                {
                    return value;
                }
                Report(DiagnosticDescriptors.UnsupportedSchema, node, $"{operationId}: '{key}' of the query parameter '{name}' must be an integer, on an integer parameter");
                return null;
            }

            /// <summary>
            /// Resolves each <c>x-manifold-body</c> to the request property it sets: one of the same type, on an operation with a
            /// body. A parameter that cannot set it is reported and dropped, so it is never silently ignored.
            /// </summary>
            private List<QueryParameterSpec> BindBodyParameters(List<QueryParameterSpec> query, YamlMappingNode operation, string operationId, string? requestType)
            {
                var result = new List<QueryParameterSpec>(query.Count);
                foreach (var parameter in query)
                {
                    if (parameter.BodyProperty is not { } name)
                    {
                        result.Add(parameter);
                        continue;
                    }
                    var property = requestType is null ? null : FindProperty(requestType, name);
                    if (property is null || property.Type.Kind != parameter.Type || parameter.Required || parameter.Default is not null)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, operation,
                            $"{operationId}: the query parameter '{parameter.Name}' has 'x-manifold-body: {name}', which needs an optional parameter without a default and a request body property '{name}' of the same type");
                        continue;
                    }
                    result.Add(parameter with { BodyProperty = property.ClrName });
                }
                return result;
            }

            /// <summary>A YAML scalar as a C# literal of <paramref name="type"/>; null when it is not one.</summary>
            private static string? Literal(TypeKind type, string? value)
            {
                if (value is null)
                {
                    return null;
                }
                switch (type)
                {
                    case TypeKind.Integer:
                        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number.ToString(CultureInfo.InvariantCulture) : null;
                    case TypeKind.Boolean:
                        return value == "true" || value == "false" ? value : null;
                    default:
                        return Naming.Literal(value);
                }
            }

            /// <summary>
            /// <c>x-manifold-page</c>, on an operation that fans out (<c>x-manifold-route-by: all</c>) and merges a list. One style:
            /// <c>{ size, token, next, key, max-size? }</c> (page tokens) or <c>{ size, after, before, key, has-more, first, last }</c>
            /// (cursors). Marks the query parameters it names as the pager's.
            /// </summary>
            private PagingSpec? ParsePaging(YamlMappingNode operation, string operationId, RouteBySpec? routeBy, MergeSpec? merge, string? responseType, List<QueryParameterSpec> query)
            {
                var node = Get(operation, "x-manifold-page");
                if (node is null)
                {
                    return null;
                }
                if (!(node is YamlMappingNode map))
                {
                    Report(DiagnosticDescriptors.InvalidOperation, node, $"{operationId}: 'x-manifold-page' must be a mapping such as {{ size: pageSize, token: pageToken, next: nextPageToken, key: name }}");
                    return null;
                }
                if (routeBy?.Kind != RouteByKind.All || merge is null)
                {
                    // Without a fan-out there is no list the host holds whole; it would have to page through the adapter instead.
                    Report(DiagnosticDescriptors.InvalidOperation, map, $"{operationId}: 'x-manifold-page' pages the list named by 'x-manifold-merge', so it needs 'x-manifold-route-by: all'");
                    return null;
                }
                var errorCount = _diagnostics.Count;
                var cursor = Get(map, "after") is not null || Get(map, "before") is not null;
                var size = PagingParameter(map, "size", TypeKind.Integer, operationId, query);
                long defaultSize = 0;
                if (size is not null && !long.TryParse(size.Default, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out defaultSize))
                {
                    Report(DiagnosticDescriptors.InvalidOperation, Get(map, "size")!, $"{operationId}: the page size parameter '{size.Name}' needs a default");
                }
                long? maxSize = null;
                if (Get(map, "max-size") is { } maxNode)
                {
                    if (maxNode is YamlScalarNode maxScalar && long.TryParse(maxScalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max > 0)
                    {
                        maxSize = max;
                    }
                    else
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, maxNode, $"{operationId}: 'max-size' must be a positive integer");
                    }
                }
                var item = merge.ItemType.Kind == TypeKind.Named ? merge.ItemType.Name : null;
                var key = PagingProperty(map, "key", item, TypeKind.String, operationId, "list item");

                QueryParameterSpec? token = null, after = null, before = null;
                string? next = null, hasMore = null, first = null, last = null;
                if (cursor)
                {
                    if (Get(map, "token") is { } stray)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, stray, $"{operationId}: 'x-manifold-page' takes 'token' (page tokens) or 'after'/'before' (cursors), not both");
                    }
                    after = PagingParameter(map, "after", TypeKind.String, operationId, query);
                    before = PagingParameter(map, "before", TypeKind.String, operationId, query);
                    hasMore = PagingProperty(map, "has-more", responseType, TypeKind.Boolean, operationId, "response");
                    first = PagingProperty(map, "first", responseType, TypeKind.String, operationId, "response");
                    last = PagingProperty(map, "last", responseType, TypeKind.String, operationId, "response");
                }
                else
                {
                    token = PagingParameter(map, "token", TypeKind.String, operationId, query);
                    next = PagingProperty(map, "next", responseType, TypeKind.String, operationId, "response");
                }
                if (_diagnostics.Count != errorCount)
                {
                    return null;
                }
                foreach (var used in new[] { size, token, after, before })
                {
                    if (used is not null)
                    {
                        query[query.IndexOf(used)] = used with { Paging = true };
                    }
                }
                return new PagingSpec(
                    cursor ? PagingKind.Cursor : PagingKind.Token, size!, defaultSize, maxSize, key!,
                    token, next, after, before, hasMore, first, last);
            }

            /// <summary>The query parameter a paging key names; it must exist, have <paramref name="type"/>, and not be required.</summary>
            private QueryParameterSpec? PagingParameter(YamlMappingNode map, string key, TypeKind type, string operationId, List<QueryParameterSpec> query)
            {
                var name = Scalar(map, key);
                var parameter = name is null ? null : query.FirstOrDefault(q => q.Name == name);
                if (parameter is null || parameter.Type != type || parameter.Required)
                {
                    Report(DiagnosticDescriptors.InvalidOperation, Get(map, key) ?? map,
                        $"{operationId}: 'x-manifold-page' needs '{key}: <optional {(type == TypeKind.Integer ? "integer" : "string")} query parameter>'{(name is null ? string.Empty : $", not '{name}'")}");
                    return null;
                }
                return parameter;
            }

            /// <summary>The C# name of the property of <paramref name="className"/> a paging key names (by JSON name), of <paramref name="type"/>.</summary>
            private string? PagingProperty(YamlMappingNode map, string key, string? className, TypeKind type, string operationId, string owner)
            {
                var name = Scalar(map, key);
                var property = name is null ? null : FindProperty(className, name);
                if (property is null || property.Type.Kind != type)
                {
                    var kind = type == TypeKind.Boolean ? "boolean" : "string";
                    Report(DiagnosticDescriptors.InvalidOperation, Get(map, key) ?? map,
                        $"{operationId}: 'x-manifold-page' needs '{key}: <{kind} property of the {owner}>'{(name is null ? string.Empty : $", not '{name}'")}");
                    return null;
                }
                return property.ClrName;
            }
        }
    }
}
