using System.Linq;
using System.Text;
using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        internal static partial class Emitter
        {
            public static void EmitPluginEndpoints(SourceProductionContext context, ApiSpec spec) =>
                context.AddSource(HintName(spec, "Endpoints"), SourceText.From(WritePluginEndpoints(spec), Encoding.UTF8));

            /// <summary>
            /// A plugin cannot reference the host, so it gets no handlers: it describes each operation as data (routes, JSON
            /// types, protocol) with small delegates that pick the model and call the adapter, and the host serves them through
            /// the same request path as its own generated handlers (see Manifold.Contracts' PluginOperation).
            /// </summary>
            internal static string WritePluginEndpoints(ApiSpec spec)
            {
                var writer = new SourceWriter();
                writer.WriteLine(string.Format(FileHeader, spec.FileName));
                writer.WriteLine();
                writer.OpenBlock($"namespace {spec.Namespace}");
                writer.WriteSummary($"The operations of {spec.FileName}{(spec.Title is null ? string.Empty : " (" + spec.Title + ")")}, which the host serves at the root and under /{{platform}} when it loads this plugin, calling {spec.InterfaceName} on the platform that answers.");
                writer.WriteLine(GeneratedCodeAttribute);
                writer.OpenBlock($"public sealed class {spec.Adapter}Endpoints : {Contracts}.IPluginEndpoints");
                writer.WriteLine("/// <inheritdoc />");
                writer.WriteLine($"public global::System.Collections.Generic.IReadOnlyList<{Contracts}.PluginOperation> Operations {{ get; }} = new {Contracts}.PluginOperation[]");
                writer.WriteLine("{");
                writer.Indentation++;
                foreach (var operation in spec.Operations)
                {
                    WritePluginOperation(writer, spec, operation);
                }
                writer.CloseBlock(";");
                writer.CloseBlock();
                writer.CloseBlock();
                return writer.ToString();
            }

            private static void WritePluginOperation(SourceWriter writer, ApiSpec spec, OperationSpec operation)
            {
                writer.WriteLine($"// {operation.HttpMethod} {operation.Path}");
                writer.WriteLine($"new {Contracts}.PluginOperation<{Qualified(spec, spec.InterfaceName)}>");
                writer.WriteLine("{");
                writer.Indentation++;
                writer.WriteLine($"OperationId = {Naming.Literal(operation.OperationId)},");
                writer.WriteLine($"Protocol = {Naming.Literal(spec.Protocol)},");
                writer.WriteLine($"Adapter = {Naming.Literal(spec.Adapter)},");
                writer.WriteLine($"Method = {Naming.Literal(operation.HttpMethod)},");
                writer.WriteLine($"Pattern = {Naming.Literal(operation.Path)},");
                if (operation.Aliases.Count > 0)
                {
                    writer.WriteLine($"Aliases = new string[] {{ {string.Join(", ", operation.Aliases.Select(Naming.Literal))} }},");
                }
                if (operation.Summary is not null)
                {
                    writer.WriteLine($"Summary = {Naming.Literal(operation.Summary)},");
                }
                if (operation.RequestType is not null)
                {
                    writer.WriteLine($"RequestType = {TypeOf(spec, operation.RequestType)},");
                }
                if (operation.ResponseType is not null)
                {
                    writer.WriteLine($"ResponseType = {TypeOf(spec, operation.ResponseType)},");
                }
                if (operation.StreamType is not null)
                {
                    writer.WriteLine($"StreamType = {TypeOf(spec, operation.StreamType)},");
                }
                if (operation.SuccessStatus != 200)
                {
                    writer.WriteLine($"SuccessStatus = {operation.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)},");
                }

                // The parser lets only body and path routing through to this target (anything else is MF0007).
                if (operation.RouteBy.Kind == RouteByKind.Body)
                {
                    writer.WriteLine($"Model = static arguments => {Body(spec, operation)}.{operation.RouteBy.Member},");
                }
                else
                {
                    writer.WriteLine($"Model = static arguments => arguments.Path({Naming.Literal(operation.RouteBy.Member!)}),");
                    writer.WriteLine($"ModelParameter = {Naming.Literal(operation.RouteBy.Member!)},");
                }

                var arguments = string.Concat(operation.PathParameters.Select(static p => $"arguments.Path({Naming.Literal(p)}), "))
                    + (operation.RequestType is null ? string.Empty : $"({Qualified(spec, operation.RequestType)})arguments.Body!, ")
                    + "context, cancellationToken";
                if (!operation.StreamOnly)
                {
                    writer.WriteLine($"Respond = static async (adapter, arguments, context, cancellationToken) => await adapter.{operation.MethodName}({arguments}),");
                }
                if (operation.StreamMethodName is { } stream)
                {
                    writer.WriteLine($"Stream = static (adapter, arguments, context, cancellationToken) => adapter.{stream}({arguments}),");
                }
                if (operation.StreamWhen is not null)
                {
                    writer.WriteLine($"Streams = static arguments => {Body(spec, operation)}.{operation.StreamWhen} == true,");
                }
                writer.Indentation--;
                writer.WriteLine("},");
            }

            /// <summary>The request DTO, as the host read it into <c>arguments.Body</c>, ready for a member access.</summary>
            private static string Body(ApiSpec spec, OperationSpec operation) => $"(({Qualified(spec, operation.RequestType!)})arguments.Body!)";
        }
    }
}
