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
        /// <summary>Operations: paths, parameters, bodies, responses and the <c>x-manifold-*</c> operation keys.</summary>
        internal sealed partial class Parser
        {
            private OperationSpec? ParseOperation(YamlScalarNode pathKey, string method, YamlMappingNode pathItem, YamlMappingNode operation)
            {
                var path = pathKey.Value!;
                var operationId = Scalar(operation, "operationId");
                if (operationId is null)
                {
                    Report(DiagnosticDescriptors.InvalidOperation, operation, $"{method} {path} needs an operationId");
                    return null;
                }
                var pascal = Naming.ToPascalCase(operationId);
                var errorCount = _diagnostics.Count;

                var pathParameters = new List<string>();
                foreach (var parameters in new[] { Get(pathItem, "parameters"), Get(operation, "parameters") })
                {
                    if (!(parameters is YamlSequenceNode list))
                    {
                        continue;
                    }
                    foreach (var parameter in list.Children.OfType<YamlMappingNode>())
                    {
                        var name = Scalar(parameter, "name");
                        if (Scalar(parameter, "in") == "path" && name is not null && !pathParameters.Contains(name))
                        {
                            pathParameters.Add(name);
                        }
                    }
                }
                foreach (var segment in TemplateParameters(path))
                {
                    if (!pathParameters.Contains(segment))
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, operation, $"{operationId}: path parameter '{segment}' is not declared in parameters");
                    }
                }
                if (pathParameters.Contains("platform"))
                {
                    Report(DiagnosticDescriptors.InvalidOperation, operation, $"{operationId}: 'platform' is reserved for the /{{platform}} route prefix");
                }
                var queryParameters = ParseQueryParameters(pathItem, operation, operationId, pathParameters);

                string? requestType = null;
                var acceptsForm = false;
                var files = new List<FilePartSpec>();
                if (Get(operation, "requestBody") is YamlMappingNode body)
                {
                    var json = MediaSchema(body, "application/json");
                    var form = MediaSchema(body, "multipart/form-data");
                    UnsupportedMediaTypes(body, operationId, "requestBody", "application/json", "multipart/form-data");
                    if (json is null && form is null)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, body, $"{operationId}: requestBody needs an application/json or a multipart/form-data schema");
                    }
                    else
                    {
                        // A form fills the same DTO as JSON (text parts by name), so one adapter method serves both; its
                        // file parts travel beside the DTO. Without a JSON schema, the form schema (less its files) is the DTO.
                        requestType = NamedType((json ?? form)!, pascal + "Request", operationId, "request body");
                        if (form is not null)
                        {
                            acceptsForm = true;
                            files.AddRange(FileParts(form));
                        }
                    }
                }

                // Read first: a streaming-only operation does not need (and ignores) an application/json response.
                var streamNode = Get(operation, "x-manifold-stream");
                var streamOnly = streamNode is YamlScalarNode { Value: "always" };
                var streamInvalid = streamNode is not null && !streamOnly && !(streamNode is YamlMappingNode);
                if (streamInvalid)
                {
                    Report(DiagnosticDescriptors.InvalidOperation, streamNode!,
                        $"{operationId}: 'x-manifold-stream' must be 'always' or {{ when: <boolean request property> }}, not {(streamNode is YamlScalarNode scalar ? $"'{scalar.Value}'" : "a list")}");
                }

                string? responseType = null;
                string? streamType = null;
                var successEntry = Get(operation, "responses") is YamlMappingNode responses
                    ? responses.Children.FirstOrDefault(static r => r.Key is YamlScalarNode code && code.Value!.StartsWith("2", StringComparison.Ordinal))
                    : default;
                var success = successEntry.Value as YamlMappingNode;
                var successStatus = successEntry.Key is YamlScalarNode statusKey && int.TryParse(statusKey.Value, out var status) ? status : 200;
                var binaryResponse = success is not null && BinaryMediaTypes(success).Any();
                if (binaryResponse && (MediaSchema(success!, "application/json") is not null || MediaSchema(success!, "text/event-stream") is not null))
                {
                    Report(DiagnosticDescriptors.InvalidOperation, success!, $"{operationId}: a binary response cannot also be JSON or a stream");
                }
                if (!streamOnly && !binaryResponse && success is not null && MediaSchema(success, "application/json") is { } responseSchema)
                {
                    responseType = NamedType(responseSchema, pascal + "Response", operationId, "response");
                }
                if (success is not null && MediaSchema(success, "text/event-stream") is { } streamSchema)
                {
                    streamType = NamedType(streamSchema, pascal + "StreamResponse", operationId, "stream event");
                }

                string? streamWhen = null;
                if (streamOnly)
                {
                    if (streamType is null)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, streamNode!, $"{operationId}: 'x-manifold-stream: always' needs a 2xx response with a text/event-stream schema");
                    }
                }
                else if (!streamInvalid)
                {
                    // With an unreadable x-manifold-stream, which response is required is unknown: that one error is enough.
                    if (responseType is null && !binaryResponse)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, (YamlNode?)success ?? operation,
                            $"{operationId}: a 2xx response with an application/json schema (or a binary one: {{ type: string, format: binary }}) is required");
                    }
                    var whenNode = streamNode as YamlMappingNode;
                    if ((streamType is not null && streamNode is null) || whenNode is not null)
                    {
                        var when = whenNode is null ? null : Scalar(whenNode, "when");
                        var property = when is null ? null : FindProperty(requestType, when);
                        if (streamType is null || property is null || property.Type.Kind != TypeKind.Boolean)
                        {
                            Report(DiagnosticDescriptors.InvalidOperation, (YamlNode?)whenNode ?? operation,
                                $"{operationId}: streaming needs a text/event-stream response and 'x-manifold-stream: {{ when: <boolean request property> }}'");
                        }
                        streamWhen = property?.ClrName;
                    }
                }

                queryParameters = BindBodyParameters(queryParameters, operation, operationId, requestType);
                var routeBy = ParseRouteBy(operation, operationId, requestType, pathParameters);
                var servedByTasks = ParseServedBy(operation, operationId, routeBy);
                MergeSpec? merge = null;
                if (routeBy?.Kind == RouteByKind.All && streamOnly)
                {
                    // Fan-out concatenates lists from JSON answers; there is no way to merge several event streams.
                    Report(DiagnosticDescriptors.InvalidOperation, streamNode!, $"{operationId}: 'x-manifold-stream: always' cannot be combined with 'x-manifold-route-by: all'");
                }
                else if (routeBy?.Kind == RouteByKind.All)
                {
                    var mergeName = Scalar(operation, "x-manifold-merge");
                    var property = mergeName is null ? null : FindProperty(responseType, mergeName);
                    if (property is null || property.Type.Kind != TypeKind.Array)
                    {
                        Report(DiagnosticDescriptors.InvalidOperation, operation, $"{operationId}: 'x-manifold-route-by: all' needs 'x-manifold-merge: <array property of the response>'");
                    }
                    else
                    {
                        merge = new MergeSpec(property.ClrName, property.Type.Item!);
                    }
                }

                var paging = ParsePaging(operation, operationId, routeBy, merge, responseType, queryParameters);
                var aliases = ParseAliases(operation, operationId, method, path);

                if (_diagnostics.Count != errorCount || (responseType is null && !streamOnly && !binaryResponse) || routeBy is null)
                {
                    return null;
                }
                return new OperationSpec(
                    operationId,
                    pascal + "Async",
                    method,
                    path,
                    Scalar(operation, "summary"),
                    pathParameters.ToEquatableArray(),
                    requestType,
                    responseType,
                    streamType,
                    streamWhen,
                    streamOnly,
                    routeBy,
                    merge,
                    aliases,
                    queryParameters.ToEquatableArray(),
                    paging,
                    acceptsForm,
                    files.ToEquatableArray(),
                    binaryResponse,
                    successStatus,
                    servedByTasks);
            }

            /// <summary>
            /// <c>x-manifold-served-by: tasks</c>: Manifold's task layer answers the operation for every platform (a view of a job
            /// it keeps), so platforms need not implement it. Only an operation routed by a job id, or to the caller's jobs, can be.
            /// </summary>
            private bool ParseServedBy(YamlMappingNode operation, string operationId, RouteBySpec? routeBy)
            {
                if (!(Get(operation, "x-manifold-served-by") is { } node))
                {
                    return false;
                }
                if (!(node is YamlScalarNode { Value: "tasks" }) || !(routeBy?.Kind is RouteByKind.Task or RouteByKind.Tasks))
                {
                    Report(DiagnosticDescriptors.InvalidOperation, node,
                        $"{operationId}: 'x-manifold-served-by' can only be 'tasks', on an operation with 'x-manifold-route-by: {{ task: <path parameter> }}' or 'tasks'");
                    return false;
                }
                return true;
            }

            /// <summary>The file parts of a form schema: its <c>format: binary</c> properties (see <see cref="FilePartSpec"/>).</summary>
            private IEnumerable<FilePartSpec> FileParts(YamlNode formSchema)
            {
                var schema = Resolve(formSchema);
                if (schema is null || !(Get(schema, "properties") is YamlMappingNode properties))
                {
                    yield break;
                }
                foreach (var entry in properties.Children)
                {
                    if (entry.Key is YamlScalarNode key && entry.Value is YamlMappingNode property)
                    {
                        if (IsBinary(property) || (UnionOf(property)?.Any(IsBinary) ?? false))
                        {
                            yield return new FilePartSpec(key.Value!, Multiple: false);
                        }
                        else if (Scalar(property, "type") == "array" && Get(property, "items") is YamlNode items && IsBinary(items))
                        {
                            yield return new FilePartSpec(key.Value!, Multiple: true);
                        }
                    }
                }
            }

            /// <summary>The media types of a response whose schema is bytes (<c>{ type: string, format: binary }</c>).</summary>
            private static IEnumerable<string> BinaryMediaTypes(YamlMappingNode response) =>
                Get(response, "content") is YamlMappingNode content
                    ? content.Children.Where(static c => c.Value is YamlMappingNode media && Get(media, "schema") is YamlNode schema && IsBinary(schema))
                        .Select(static c => ((YamlScalarNode)c.Key).Value!)
                    : [];

            /// <summary>Request media types the generator would otherwise ignore are a diagnostic, never a silent drop.</summary>
            private void UnsupportedMediaTypes(YamlMappingNode owner, string operationId, string what, params string[] supported)
            {
                if (Get(owner, "content") is YamlMappingNode content)
                {
                    foreach (var entry in content.Children)
                    {
                        if (entry.Key is YamlScalarNode type && !supported.Contains(type.Value))
                        {
                            Report(DiagnosticDescriptors.InvalidOperation, type, $"{operationId}: {what} content type '{type.Value}' is not supported (use {string.Join(" or ", supported)})");
                        }
                    }
                }
            }

            /// <summary>The adapter interface methods an operation declares.</summary>
            private static IEnumerable<string> AdapterMethods(OperationSpec operation)
            {
                if (!operation.StreamOnly)
                {
                    yield return operation.MethodName;
                }
                if (operation.StreamMethodName is { } stream)
                {
                    yield return stream;
                }
            }

            private RouteBySpec? ParseRouteBy(YamlMappingNode operation, string operationId, string? requestType, List<string> pathParameters)
            {
                var node = Get(operation, "x-manifold-route-by");
                if (node is YamlScalarNode scalar && scalar.Value == "all")
                {
                    return new RouteBySpec(RouteByKind.All, null);
                }
                if (node is YamlScalarNode tasks && tasks.Value == "tasks")
                {
                    return new RouteBySpec(RouteByKind.Tasks, null);
                }
                if (node is YamlMappingNode map)
                {
                    if (Scalar(map, "body") is { } bodyName && FindProperty(requestType, bodyName) is { Type.Kind: TypeKind.String } property)
                    {
                        return new RouteBySpec(RouteByKind.Body, property.ClrName);
                    }
                    if (Scalar(map, "path") is { } pathName && pathParameters.Contains(pathName))
                    {
                        return new RouteBySpec(RouteByKind.Path, pathName);
                    }
                    if (Scalar(map, "task") is { } taskName && pathParameters.Contains(taskName))
                    {
                        return new RouteBySpec(RouteByKind.Task, taskName);
                    }
                }
                Report(DiagnosticDescriptors.InvalidOperation, node ?? operation,
                    $"{operationId}: 'x-manifold-route-by' must be 'all', 'tasks', {{ body: <string request property> }}, {{ path: <path parameter> }} or {{ task: <path parameter> }}");
                return null;
            }

            private string? NamedType(YamlNode schema, string inlineName, string operationId, string what)
            {
                var info = ParseType(schema, inlineName);
                if (info.Type.Kind == TypeKind.Named)
                {
                    return info.Type.Name;
                }
                Report(DiagnosticDescriptors.InvalidOperation, schema, $"{operationId}: the {what} must be an object schema");
                return null;
            }

            private PropertySpec? FindProperty(string? className, string jsonName) =>
                className is null
                    ? null
                    : _schemas.FirstOrDefault(s => s.Name == className)?.Properties.FirstOrDefault(p => p.JsonName == jsonName);

            private static YamlNode? MediaSchema(YamlMappingNode owner, string mediaType) =>
                Get(owner, "content") is YamlMappingNode content && Get(content, mediaType) is YamlMappingNode media
                    ? Get(media, "schema")
                    : null;
        }
    }
}
