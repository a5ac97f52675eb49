using System.Linq;
using System.Text;
using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using Microsoft.CodeAnalysis;
using TypeKind = Manifold.Generator.Model.TypeKind;
using Microsoft.CodeAnalysis.Text;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        internal static partial class Emitter
        {
            private const string HostNamespace = "Manifold.Host.Generated";
            private const string Endpoints = "global::Manifold.Host.Endpoints";
            private const string Tasks = "global::System.Threading.Tasks";

            public static void EmitRoutes(SourceProductionContext context, ApiSpec spec) =>
                context.AddSource(HintName(spec, "Routes"), SourceText.From(WriteRoutes(spec), Encoding.UTF8));

            public static void EmitRouteIndex(SourceProductionContext context, EquatableArray<string> adapters) =>
                context.AddSource("ManifoldEndpoints.g.cs", SourceText.From(WriteRouteIndex(adapters), Encoding.UTF8));

            /// <summary>
            /// The handlers are thin glue: read and validate the typed body, pick the platform, call the
            /// adapter. Retries, streaming, errors and cancellation live in the hand-written EndpointCall.
            /// </summary>
            internal static string WriteRoutes(ApiSpec spec)
            {
                var writer = new SourceWriter();
                writer.WriteLine(string.Format(FileHeader, spec.FileName));
                writer.WriteLine();
                writer.OpenBlock($"namespace {HostNamespace}");
                writer.OpenBlock("internal static partial class ManifoldEndpoints");

                foreach (var operation in spec.Operations)
                {
                    writer.WriteLine($"private static readonly {Endpoints}.OperationDescriptor {DescriptorField(operation)} = new(");
                    writer.Indentation++;
                    writer.WriteLine($"OperationId: {Naming.Literal(operation.OperationId)},");
                    writer.WriteLine($"Protocol: {Naming.Literal(spec.Protocol)},");
                    writer.WriteLine($"Adapter: {Naming.Literal(spec.Adapter)},");
                    writer.WriteLine($"Method: {Naming.Literal(operation.HttpMethod)},");
                    writer.WriteLine($"Pattern: {Naming.Literal(operation.Path)},");
                    writer.WriteLine($"Summary: {(operation.Summary is null ? "null" : Naming.Literal(operation.Summary))},");
                    writer.WriteLine($"RequestType: {TypeOf(spec, operation.RequestType)},");
                    writer.WriteLine($"ResponseType: {TypeOf(spec, operation.ResponseType)},");
                    var initialized = operation.Aliases.Count > 0 || operation.QueryParameters.Count > 0 || operation.AcceptsForm || operation.BinaryResponse || operation.SuccessStatus != 200;
                    writer.WriteLine($"StreamType: {TypeOf(spec, operation.StreamType)}){(initialized ? string.Empty : ";")}");
                    writer.Indentation--;
                    if (initialized)
                    {
                        writer.WriteLine("{");
                        if (operation.Aliases.Count > 0)
                        {
                            writer.WriteLine($"    Aliases = [{string.Join(", ", operation.Aliases.Select(Naming.Literal))}],");
                        }
                        if (operation.AcceptsForm)
                        {
                            writer.WriteLine($"    Form = new {Endpoints}.FormDescriptor([{string.Join(", ", operation.Files.Select(static f => Naming.Literal(f.Name)))}]),");
                        }
                        if (operation.BinaryResponse)
                        {
                            writer.WriteLine("    BinaryResponse = true,");
                        }
                        if (operation.SuccessStatus != 200)
                        {
                            writer.WriteLine($"    SuccessStatus = {operation.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)},");
                        }
                        if (operation.QueryParameters.Count > 0)
                        {
                            writer.WriteLine("    Query =");
                            writer.WriteLine("    [");
                            foreach (var parameter in operation.QueryParameters)
                            {
                                writer.WriteLine($"        {QueryDescriptor(parameter)},");
                            }
                            writer.WriteLine("    ],");
                        }
                        writer.WriteLine("};");
                    }
                    writer.WriteLine();
                }

                writer.WriteLine($"/// <summary>Maps the operations of {spec.FileName} at the root and under <c>/{{platform}}</c>.</summary>");
                writer.OpenBlock($"internal static void Map{spec.Adapter}(global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)");
                foreach (var operation in spec.Operations)
                {
                    writer.WriteLine($"{Endpoints}.EndpointMapper.Map(endpoints, {DescriptorField(operation)}, {HandlerName(operation)});");
                }
                writer.CloseBlock();

                foreach (var operation in spec.Operations)
                {
                    writer.WriteLine();
                    WriteHandler(writer, spec, operation);
                }

                writer.CloseBlock();
                writer.CloseBlock();
                return writer.ToString();
            }

            private static void WriteHandler(SourceWriter writer, ApiSpec spec, OperationSpec operation)
            {
                var adapter = Qualified(spec, spec.InterfaceName);
                var arguments = string.Concat(operation.PathParameters.Select(static p => Naming.ToCamelCase(p) + ", "))
                    + string.Concat(AdapterQuery(operation).Select(static q => q.ClrName + ", "))
                    + (operation.RequestType is null ? string.Empty : "request, ")
                    + (operation.Files.Count == 0 ? string.Empty : "files, ")
                    + "context, cancellationToken";

                writer.WriteLine($"/// <summary>{RouteDoc(operation)}: {operation.OperationId}.</summary>");
                writer.OpenBlock($"private static async {Tasks}.Task {HandlerName(operation)}(global::Microsoft.AspNetCore.Http.HttpContext http)");
                writer.WriteLine($"var call = new {Endpoints}.EndpointCall(http, {DescriptorField(operation)});");
                foreach (var parameter in operation.PathParameters)
                {
                    writer.WriteLine($"var {Naming.ToCamelCase(parameter)} = call.RouteValue({Naming.Literal(parameter)});");
                }
                if (operation.QueryParameters.Count > 0)
                {
                    WriteQuery(writer, operation);
                }
                if (operation.RequestType is not null)
                {
                    writer.WriteLine($"var request = await call.ReadBodyAsync<{Qualified(spec, operation.RequestType)}>();");
                    writer.OpenBlock("if (request is null)");
                    writer.WriteLine("return;");
                    writer.CloseBlock();
                }
                foreach (var parameter in operation.QueryParameters.Where(static q => q.BodyProperty is not null))
                {
                    // The query form of a body property (?async=true): given, it wins over the body.
                    var value = parameter.ClrName.TrimStart('@') + "Value";
                    writer.OpenBlock($"if ({parameter.ClrName} is {{ }} {value})");
                    writer.WriteLine($"request.{parameter.BodyProperty} = {value};");
                    writer.CloseBlock();
                }
                if (operation.Files.Count > 0)
                {
                    writer.WriteLine("var files = call.Files;");
                }

                if (operation.Paging is not null)
                {
                    WritePagedFanOut(writer, spec, operation, adapter, arguments);
                }
                else if (operation.RouteBy.Kind == RouteByKind.All)
                {
                    WriteFanOut(writer, spec, operation, adapter, arguments);
                }
                else if (operation.RouteBy.Kind is RouteByKind.Task or RouteByKind.Tasks)
                {
                    // A job's id names its platform and account (routing by resource); a list is the caller's jobs.
                    writer.WriteLine(operation.RouteBy.Kind == RouteByKind.Task
                        ? $"var target = await call.ResolveTaskAsync<{adapter}>({Naming.ToCamelCase(operation.RouteBy.Member!)});"
                        : $"var target = await call.ResolveTasksAsync<{adapter}>();");
                    writer.OpenBlock("if (target is null)");
                    writer.WriteLine("return;");
                    writer.CloseBlock();
                    WriteInvoke(writer, operation, arguments);
                }
                else
                {
                    var model = operation.RouteBy.Kind == RouteByKind.Body
                        ? "request." + operation.RouteBy.Member
                        : Naming.ToCamelCase(operation.RouteBy.Member!);
                    writer.WriteLine($"var target = await call.ResolvePlatformAsync<{adapter}>({model});");
                    writer.OpenBlock("if (target is null)");
                    writer.WriteLine("return;");
                    writer.CloseBlock();
                    if (operation.RouteBy.Kind == RouteByKind.Path)
                    {
                        // The platform may serve the model under another name (a suffix such as -thinking became
                        // request options). A body-routed request is rewritten by the host; a path value is ours to pass on.
                        writer.WriteLine($"{model} = target.ModelOr({model});");
                    }
                    WriteInvoke(writer, operation, arguments);
                }
                writer.CloseBlock();
            }

            private static void WriteInvoke(SourceWriter writer, OperationSpec operation, string arguments)
            {
                var respond = $"await call.{(operation.BinaryResponse ? "RespondBinaryAsync" : "RespondAsync")}(target, (adapter, context, cancellationToken) => adapter.{operation.MethodName}({arguments}));";
                var stream = $"await call.StreamAsync(target, (adapter, context, cancellationToken) => adapter.{operation.StreamMethodName}({arguments}));";
                if (operation.StreamOnly)
                {
                    writer.WriteLine(stream);
                    return;
                }
                if (operation.StreamWhen is null)
                {
                    writer.WriteLine(respond);
                    return;
                }
                writer.OpenBlock($"if (request.{operation.StreamWhen} == true)");
                writer.WriteLine(stream);
                writer.CloseBlock();
                writer.OpenBlock("else");
                writer.WriteLine(respond);
                writer.CloseBlock();
            }

            /// <summary>
            /// Reads every query parameter (a malformed one is the caller's 400, written once all are read) and, with
            /// <c>x-manifold-page</c>, the pager's position in the list.
            /// </summary>
            private static void WriteQuery(SourceWriter writer, OperationSpec operation)
            {
                writer.WriteLine("var query = call.Query();");
                foreach (var parameter in operation.QueryParameters)
                {
                    var method = parameter.Type switch
                    {
                        TypeKind.Integer => "Integer",
                        TypeKind.Boolean => "Boolean",
                        _ => "String",
                    };
                    var arguments = new StringBuilder(Naming.Literal(parameter.Name));
                    if (parameter.Required)
                    {
                        method = "Required" + method;
                    }
                    else if (parameter.Default is not null)
                    {
                        arguments.Append(", defaultValue: ").Append(parameter.Default);
                    }
                    if (parameter.Minimum is not null)
                    {
                        arguments.Append(", minimum: ").Append(parameter.Minimum.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    if (parameter.Maximum is not null)
                    {
                        arguments.Append(", maximum: ").Append(parameter.Maximum.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    writer.WriteLine($"var {parameter.ClrName} = query.{method}({arguments});");
                }
                if (operation.Paging is { } paging)
                {
                    var maxSize = paging.MaxSize is null ? string.Empty : ", maxSize: " + paging.MaxSize.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    writer.WriteLine(paging.Kind == PagingKind.Token
                        ? $"var paging = query.PageByToken({Naming.Literal(paging.Size.Name)}, {paging.Size.ClrName}, {Naming.Literal(paging.Token!.Name)}, {paging.Token.ClrName}, defaultSize: {paging.DefaultSize.ToString(System.Globalization.CultureInfo.InvariantCulture)}{maxSize});"
                        : $"var paging = query.PageByCursor({Naming.Literal(paging.Size.Name)}, {paging.Size.ClrName}, {Naming.Literal(paging.After!.Name)}, {paging.After.ClrName}, {Naming.Literal(paging.Before!.Name)}, {paging.Before.ClrName}{maxSize});");
                }
                writer.OpenBlock("if (await query.FailedAsync())");
                writer.WriteLine("return;");
                writer.CloseBlock();
            }

            /// <summary><c>new QueryParameter("name", "integer", Required: false, "description")</c>, for the OpenAPI document.</summary>
            private static string QueryDescriptor(QueryParameterSpec parameter)
            {
                var type = parameter.Type switch
                {
                    TypeKind.Integer => "integer",
                    TypeKind.Boolean => "boolean",
                    _ => "string",
                };
                var description = parameter.Description is null ? "null" : Naming.Literal(parameter.Description);
                return $"new {Endpoints}.QueryParameter({Naming.Literal(parameter.Name)}, {Naming.Literal(type)}, {(parameter.Required ? "true" : "false")}, {description})";
            }

            /// <summary>
            /// A list the host pages: the whole list of the platform under /{platform}, or every platform's concatenated at the
            /// root, then the caller's page of it with the protocol's paging fields.
            /// </summary>
            private static void WritePagedFanOut(SourceWriter writer, ApiSpec spec, OperationSpec operation, string adapter, string arguments)
            {
                var merge = operation.Merge!;
                var paging = operation.Paging!;
                var response = Qualified(spec, operation.ResponseType!);
                var list = TypeName(spec, new TypeRef(TypeKind.Array, Item: merge.ItemType), nullable: false);
                writer.WriteLine($"{list} items;");
                writer.OpenBlock("if (call.HasPlatform)");
                writer.WriteLine($"var target = await call.ResolvePlatformAsync<{adapter}>(null);");
                writer.OpenBlock("if (target is null)");
                writer.WriteLine("return;");
                writer.CloseBlock();
                writer.WriteLine($"var result = await call.InvokeAsync(target, (adapter, context, cancellationToken) => adapter.{operation.MethodName}({arguments}));");
                writer.OpenBlock("if (result is null)");
                writer.WriteLine("return;");
                writer.CloseBlock();
                writer.WriteLine($"items = result.{merge.ClrName} ?? new {list}();");
                writer.CloseBlock();
                writer.OpenBlock("else");
                writer.WriteLine($"var results = await call.FanOutAsync<{adapter}, {response}>((adapter, context, cancellationToken) => adapter.{operation.MethodName}({arguments}));");
                writer.WriteLine($"items = new {list}();");
                writer.OpenBlock("foreach (var result in results)");
                writer.OpenBlock($"if (result.{merge.ClrName} is not null)");
                writer.WriteLine($"items.AddRange(result.{merge.ClrName});");
                writer.CloseBlock();
                writer.CloseBlock();
                writer.CloseBlock();
                writer.WriteLine($"var page = paging.Take(items, static item => item.{paging.Key});");
                writer.WriteLine(paging.Kind == PagingKind.Token
                    ? $"await call.WriteJsonAsync(new {response} {{ {merge.ClrName} = page.Items, {paging.Next} = page.NextToken }});"
                    : $"await call.WriteJsonAsync(new {response} {{ {merge.ClrName} = page.Items, {paging.HasMore} = page.HasMore, {paging.First} = page.FirstKey, {paging.Last} = page.LastKey }});");
            }

            /// <summary>At the root, every platform answers and the lists are concatenated; under /{platform}, one answers.</summary>
            private static void WriteFanOut(SourceWriter writer, ApiSpec spec, OperationSpec operation, string adapter, string arguments)
            {
                var merge = operation.Merge!;
                var response = Qualified(spec, operation.ResponseType!);
                writer.OpenBlock("if (call.HasPlatform)");
                writer.WriteLine($"var target = await call.ResolvePlatformAsync<{adapter}>(null);");
                writer.OpenBlock("if (target is null)");
                writer.WriteLine("return;");
                writer.CloseBlock();
                WriteInvoke(writer, operation, arguments);
                writer.WriteLine("return;");
                writer.CloseBlock();
                writer.WriteLine($"var results = await call.FanOutAsync<{adapter}, {response}>((adapter, context, cancellationToken) => adapter.{operation.MethodName}({arguments}));");
                writer.WriteLine($"var items = new {TypeName(spec, new TypeRef(TypeKind.Array, Item: merge.ItemType), nullable: false)}();");
                writer.OpenBlock("foreach (var result in results)");
                writer.OpenBlock($"if (result.{merge.ClrName} is not null)");
                writer.WriteLine($"items.AddRange(result.{merge.ClrName});");
                writer.CloseBlock();
                writer.CloseBlock();
                writer.WriteLine($"await call.WriteJsonAsync(new {response} {{ {merge.ClrName} = items }});");
            }

            internal static string WriteRouteIndex(EquatableArray<string> adapters)
            {
                var writer = new SourceWriter();
                writer.WriteLine(string.Format(FileHeader, "every spec"));
                writer.WriteLine();
                writer.OpenBlock($"namespace {HostNamespace}");
                writer.OpenBlock("internal static partial class ManifoldEndpoints");
                writer.WriteLine("/// <summary>Maps every endpoint described in specs/, at the root and under <c>/{platform}</c>.</summary>");
                writer.OpenBlock("public static global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder MapManifoldEndpoints(this global::Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints)");
                foreach (var adapter in adapters)
                {
                    writer.WriteLine($"Map{adapter}(endpoints);");
                }
                writer.WriteLine("return endpoints;");
                writer.CloseBlock();
                writer.CloseBlock();
                writer.CloseBlock();
                return writer.ToString();
            }

            private static string TypeOf(ApiSpec spec, string? typeName) => typeName is null ? "null" : $"typeof({Qualified(spec, typeName)})";

            private static string DescriptorField(OperationSpec operation) => "s_" + Naming.ToCamelCase(operation.OperationId).TrimStart('@');

            private static string HandlerName(OperationSpec operation) => "Handle" + operation.MethodName;
        }
    }
}
