using System.Linq;
using System.Text;
using Manifold.Generator.Model;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        /// <summary>
        /// The reference page of a spec (<c>docs/reference/*.md</c>): its adapter interface, its operations and every type
        /// it generates, from the same model the code comes from, so a plugin author never reads a <c>*.g.cs</c> file to
        /// learn a type. Not part of a compilation: the generator tests render every spec and keep the pages current.
        /// </summary>
        internal static class DocsEmitter
        {
            public static string WriteReference(ApiSpec spec)
            {
                var text = new StringBuilder();
                text.Append("# ").Append(spec.Title ?? spec.FileName).Append("\n\n");
                text.Append("<!-- Generated from specs/").Append(spec.FileName).Append(" by the generator's tests (ReferenceDocsTests); edit the spec, not this page. -->\n\n");
                text.Append("| | |\n| --- | --- |\n");
                text.Append("| Spec | `specs/").Append(spec.FileName).Append("` |\n");
                text.Append("| Namespace | `").Append(spec.Namespace).Append("` |\n");
                text.Append("| Protocol | `").Append(spec.Protocol).Append("` (errors and streams are framed as this protocol frames them) |\n");
                text.Append("| Adapter | `").Append(spec.InterfaceName).Append("` |\n\n");

                if (spec.Operations.Count > 0)
                {
                    text.Append("## Operations\n\n");
                    text.Append("A platform serves these by implementing `").Append(spec.InterfaceName).Append("`; the host maps each route at the root and under `/{platform}`.\n\n");
                    foreach (var operation in spec.Operations)
                    {
                        WriteOperation(text, spec, operation);
                    }
                }

                text.Append("## Types\n\n");
                foreach (var schema in spec.Schemas.OrderBy(static s => s.Name, System.StringComparer.Ordinal))
                {
                    WriteSchema(text, schema);
                }
                if (spec.Enums.Count > 0)
                {
                    text.Append("## Known values\n\n");
                    text.Append("String enums stay `string` (upstreams add values); these classes hold the values the spec knows.\n\n");
                    foreach (var values in spec.Enums.OrderBy(static e => e.ClassName, System.StringComparer.Ordinal))
                    {
                        text.Append("- `").Append(values.ClassName).Append("`: ").Append(string.Join(", ", values.Values.Select(static v => "`" + v + "`"))).Append('\n');
                    }
                    text.Append('\n');
                }
                return text.ToString();
            }

            private static void WriteOperation(StringBuilder text, ApiSpec spec, OperationSpec operation)
            {
                text.Append("### `").Append(operation.HttpMethod).Append(' ').Append(operation.Path).Append("`\n\n");
                if (operation.Summary is { } summary)
                {
                    text.Append(summary).Append("\n\n");
                }
                text.Append("- Adapter method: `").Append(Signature(operation)).Append("`\n");
                if (operation.StreamMethodName is { } stream && !operation.StreamOnly)
                {
                    text.Append("- Streaming: `").Append(stream).Append("` yields `").Append(operation.StreamType).Append("` when `").Append(operation.StreamWhen).Append("` is true\n");
                }
                text.Append("- Routed by: ").Append(RouteBy(operation.RouteBy)).Append('\n');
                if (operation.ServedByTasks)
                {
                    text.Append("- Answered by Manifold's task layer for every platform: the method has a default body, and a platform need not implement it\n");
                }
                if (operation.RequestType is { } request)
                {
                    text.Append("- Request: [`").Append(request).Append("`](#").Append(Anchor(request)).Append(")")
                        .Append(operation.AcceptsForm ? " (JSON, or `multipart/form-data` with the same fields as text parts)" : " (JSON)").Append('\n');
                }
                foreach (var file in operation.Files)
                {
                    text.Append("- File part: `").Append(file.Name).Append(file.Multiple ? "` (repeatable as `" + file.Name + "[]`)" : "`").Append(", read from `FileParts`\n");
                }
                foreach (var query in operation.QueryParameters)
                {
                    text.Append("- Query `").Append(query.Name).Append("`: ").Append(query.Type.ToString().ToLowerInvariant())
                        .Append(query.Default is { } d ? ", default " + d.Trim('"') : string.Empty)
                        .Append(query.Paging ? " (taken by the host's pager)" : query.BodyProperty is { } body ? $" (sets the body's `{body}`)" : string.Empty)
                        .Append(query.Description is { } description ? ": " + description : string.Empty).Append('\n');
                }
                text.Append("- Answers: ")
                    .Append(operation.BinaryResponse ? "bytes (`BinaryContent`)"
                        : operation.StreamOnly ? "a stream of [`" + operation.StreamType + "`](#" + Anchor(operation.StreamType!) + ")"
                        : "[`" + operation.ResponseType + "`](#" + Anchor(operation.ResponseType!) + ")")
                    .Append(operation.SuccessStatus != 200 ? $", status {operation.SuccessStatus}" : string.Empty).Append("\n\n");
            }

            private static string Signature(OperationSpec operation)
            {
                var parameters = operation.PathParameters.Select(static p => "string " + Helpers.Naming.ToCamelCase(p)).ToList();
                parameters.AddRange(Emitter.AdapterQuery(operation).Select(static q => Emitter.QueryType(q) + " " + q.ClrName));
                if (operation.RequestType is { } request)
                {
                    parameters.Add(request + " request");
                }
                if (operation.Files.Count > 0)
                {
                    parameters.Add("FileParts files");
                }
                parameters.Add("AdapterContext context");
                parameters.Add("CancellationToken cancellationToken");
                var result = operation.StreamOnly ? $"IAsyncEnumerable<{operation.StreamType}>"
                    : operation.BinaryResponse ? "Task<BinaryContent>"
                    : $"Task<{operation.ResponseType}>";
                return $"{result} {operation.MethodName}({string.Join(", ", parameters)})";
            }

            private static string RouteBy(RouteBySpec route) => route.Kind switch
            {
                RouteByKind.Body => $"the body's `{route.Member}` at the root",
                RouteByKind.Path => $"the path's `{route.Member}` at the root",
                RouteByKind.All => "every platform at the root (lists merged)",
                RouteByKind.Task => $"the job named by `{route.Member}` (Manifold's task store)",
                _ => "the caller's jobs (Manifold's task store)",
            };

            private static void WriteSchema(StringBuilder text, SchemaSpec schema)
            {
                text.Append("### ").Append(schema.Name).Append("\n\n");
                if (schema.Description is { } description)
                {
                    text.Append(OneLine(description)).Append("\n\n");
                }
                if (schema.Kind == SchemaKind.Union)
                {
                    text.Append("One of (chosen by the JSON value's kind):\n\n| JSON | Member | Type |\n| --- | --- | --- |\n");
                    foreach (var union in schema.Cases)
                    {
                        text.Append("| ").Append(union.Kind.ToString().ToLowerInvariant()).Append(" | `").Append(union.MemberName).Append("` | ").Append(TypeName(union.Type)).Append(" |\n");
                    }
                    text.Append('\n');
                    return;
                }
                if (schema.Properties.Count == 0)
                {
                    text.Append("No properties of its own; unmodelled fields are kept in `AdditionalProperties`.\n\n");
                    return;
                }
                text.Append("| JSON | C# | Type | | Description |\n| --- | --- | --- | --- | --- |\n");
                foreach (var property in schema.Properties)
                {
                    var flags = property.Required ? "required" : property.WriteNull ? "required, nullable" : "optional";
                    if (property.Const is { } constant)
                    {
                        flags += ", always " + constant.Trim('"');
                    }
                    text.Append("| `").Append(property.JsonName).Append("` | `").Append(property.ClrName).Append("` | ").Append(TypeName(property.Type))
                        .Append(" | ").Append(flags).Append(" | ").Append(property.Description is { } d ? OneLine(d) : string.Empty).Append(" |\n");
                }
                text.Append('\n');
            }

            private static string TypeName(TypeRef type) => type.Kind switch
            {
                TypeKind.String => "string",
                TypeKind.Integer => "long",
                TypeKind.Number => "double",
                TypeKind.Boolean => "bool",
                TypeKind.Json => "JsonElement",
                TypeKind.Named => $"[`{type.Name}`](#{Anchor(type.Name!)})",
                TypeKind.Array => "list of " + TypeName(type.Item!),
                _ => "map of " + TypeName(type.Item!),
            };

            private static string Anchor(string name) => name.ToLowerInvariant();

            /// <summary>A description on one table line: newlines and pipes would break the table.</summary>
            private static string OneLine(string text) => string.Join(" ", text.Split(new[] { '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries)).Replace("|", "\\|");
        }
    }
}
