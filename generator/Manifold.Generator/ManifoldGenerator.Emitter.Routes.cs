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
                    writer.WriteLine($"StreamType: {TypeOf(spec, operation.StreamType)}){(operation.Aliases.Count == 0 ? ";" : string.Empty)}");
                    writer.Indentation--;
                    if (operation.Aliases.Count > 0)
                    {
                        writer.WriteLine("{");
                        writer.WriteLine($"    Aliases = [{string.Join(", ", operation.Aliases.Select(Naming.Literal))}],");
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
                    + (operation.RequestType is null ? string.Empty : "request, ")
                    + "context, cancellationToken";

                writer.WriteLine($"/// <summary>{RouteDoc(operation)}: {operation.OperationId}.</summary>");
                writer.OpenBlock($"private static async {Tasks}.Task {HandlerName(operation)}(global::Microsoft.AspNetCore.Http.HttpContext http)");
                writer.WriteLine($"var call = new {Endpoints}.EndpointCall(http, {DescriptorField(operation)});");
                foreach (var parameter in operation.PathParameters)
                {
                    writer.WriteLine($"var {Naming.ToCamelCase(parameter)} = call.RouteValue({Naming.Literal(parameter)});");
                }
                if (operation.RequestType is not null)
                {
                    writer.WriteLine($"var request = await call.ReadBodyAsync<{Qualified(spec, operation.RequestType)}>();");
                    writer.OpenBlock("if (request is null)");
                    writer.WriteLine("return;");
                    writer.CloseBlock();
                }

                if (operation.RouteBy.Kind == RouteByKind.All)
                {
                    WriteFanOut(writer, spec, operation, adapter, arguments);
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
                var respond = $"await call.RespondAsync(target, (adapter, context, cancellationToken) => adapter.{operation.MethodName}({arguments}));";
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
