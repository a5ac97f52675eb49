using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Manifold.Generator.Diagnostics;
using Manifold.Generator.Helpers;
using Manifold.Generator.Model;
using Microsoft.CodeAnalysis.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        /// <summary>
        /// Turns one spec file into an <see cref="ApiSpec"/>. Never throws: whatever is wrong becomes a
        /// <see cref="DiagnosticInfo"/> pointing at the offending YAML node.
        /// </summary>
        internal sealed partial class Parser
        {
            private const string SchemaRefPrefix = "#/components/schemas/";
            private static readonly string[] HttpMethods = { "get", "post", "put", "patch", "delete" };

            private readonly string _path;
            private readonly List<DiagnosticInfo> _diagnostics = new List<DiagnosticInfo>();
            private readonly List<SchemaSpec> _schemas = new List<SchemaSpec>();
            private readonly List<EnumSpec> _enums = new List<EnumSpec>();
            private readonly Dictionary<string, YamlMappingNode> _components = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
            private readonly Dictionary<string, SchemaInfo> _resolved = new Dictionary<string, SchemaInfo>(StringComparer.Ordinal);
            private readonly HashSet<string> _resolving = new HashSet<string>(StringComparer.Ordinal);
            private readonly HashSet<string> _classNames = new HashSet<string>(StringComparer.Ordinal);
            private readonly CancellationToken _cancellationToken;

            /// <summary><c>x-manifold: { snake-case-aliases: true }</c>: every camelCase property is also read from its snake_case name.</summary>
            private bool _snakeCaseAliases;

            private Parser(string path, CancellationToken cancellationToken)
            {
                _path = path;
                _cancellationToken = cancellationToken;
            }

            public static ParseResult Parse(string path, string? text, CancellationToken cancellationToken)
            {
                var parser = new Parser(path, cancellationToken);
                var spec = parser.ParseFile(text ?? string.Empty);
                var diagnostics = parser._diagnostics.ToEquatableArray();
                // A spec with errors would generate code that does not compile; report the errors instead.
                return new ParseResult(diagnostics.Count == 0 ? spec : null, diagnostics, parser._pluginDiagnostics.ToEquatableArray());
            }

            private ApiSpec? ParseFile(string text)
            {
                YamlMappingNode root;
                try
                {
                    var stream = new YamlStream();
                    stream.Load(new StringReader(text));
                    if (stream.Documents.Count == 0 || !(stream.Documents[0].RootNode is YamlMappingNode mapping))
                    {
                        ReportAt(DiagnosticDescriptors.InvalidYaml, Mark.Empty, Mark.Empty, "the document must be a mapping");
                        return null;
                    }
                    root = mapping;
                }
                catch (YamlException ex)
                {
                    ReportAt(DiagnosticDescriptors.InvalidYaml, ex.Start, ex.End, ex.Message);
                    return null;
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    // YamlDotNet throws plain exceptions for some malformed scalars; they carry no position.
                    ReportAt(DiagnosticDescriptors.InvalidYaml, Mark.Empty, Mark.Empty, ex.Message);
                    return null;
                }

                var version = Scalar(root, "openapi");
                if (version is null || !version.StartsWith("3.", StringComparison.Ordinal))
                {
                    Report(DiagnosticDescriptors.MissingField, Get(root, "openapi") ?? root, "'openapi: 3.1.0' is required at the top of a spec");
                }

                var manifold = Get(root, "x-manifold") as YamlMappingNode;
                var ns = manifold is null ? null : Scalar(manifold, "namespace");
                var protocol = manifold is null ? null : Scalar(manifold, "protocol");
                var adapter = manifold is null ? null : Scalar(manifold, "adapter");
                if (ns is null || protocol is null || adapter is null)
                {
                    Report(DiagnosticDescriptors.MissingField, (YamlNode?)manifold ?? root, "'x-manifold' must give 'namespace', 'protocol' and 'adapter'");
                    return null;
                }
                // Both are pasted into generated code verbatim; anything but C# names would break it there, not here.
                if (!ns.Split('.').All(Naming.IsIdentifier))
                {
                    Report(DiagnosticDescriptors.MissingField, Get(manifold!, "namespace")!, $"'x-manifold' namespace '{ns}' is not a C# namespace name");
                    return null;
                }
                if (!Naming.IsIdentifier(adapter))
                {
                    Report(DiagnosticDescriptors.MissingField, Get(manifold!, "adapter")!, $"'x-manifold' adapter '{adapter}' is not a C# identifier");
                    return null;
                }

                CheckPluginNamespace(Get(manifold!, "namespace")!, ns);
                _snakeCaseAliases = ReadSnakeCaseAliases(manifold!);
                var title = Get(root, "info") is YamlMappingNode info ? Scalar(info, "title") : null;

                if (Get(root, "components") is YamlMappingNode components && Get(components, "schemas") is YamlMappingNode schemas)
                {
                    foreach (var entry in schemas.Children)
                    {
                        if (entry.Key is YamlScalarNode key && entry.Value is YamlMappingNode value)
                        {
                            _components[key.Value!] = value;
                        }
                    }
                    foreach (var name in _components.Keys.ToList())
                    {
                        _cancellationToken.ThrowIfCancellationRequested();
                        ResolveComponent(name, _components[name]);
                    }
                }

                var operations = new List<OperationSpec>();
                if (Get(root, "paths") is YamlMappingNode paths)
                {
                    CollectRoutes(paths);
                    foreach (var pathEntry in paths.Children)
                    {
                        if (!(pathEntry.Key is YamlScalarNode pathKey) || !(pathEntry.Value is YamlMappingNode pathItem))
                        {
                            continue;
                        }
                        foreach (var method in HttpMethods)
                        {
                            if (Get(pathItem, method) is YamlMappingNode operation)
                            {
                                CheckPluginOperation(pathItem, operation);
                                var parsed = ParseOperation(pathKey, method.ToUpperInvariant(), pathItem, operation);
                                if (parsed is not null)
                                {
                                    // Reported at the repeated operationId, so the error points at the line to change.
                                    if (operations.Any(o => o.MethodName == parsed.MethodName))
                                    {
                                        Report(DiagnosticDescriptors.Duplicate, Get(operation, "operationId")!, $"operationId '{parsed.OperationId}' is used more than once");
                                    }
                                    else if (AdapterMethods(parsed).FirstOrDefault(m => operations.Any(o => AdapterMethods(o).Contains(m))) is { } clash)
                                    {
                                        // createThing's stream method CreateThingStreamAsync is also what operationId createThingStream names.
                                        Report(DiagnosticDescriptors.Duplicate, Get(operation, "operationId")!, $"operationId '{parsed.OperationId}' gives the adapter method '{clash}', which another operation already has");
                                    }
                                    operations.Add(parsed);
                                }
                            }
                        }
                    }
                }

                return new ApiSpec(
                    ShortName(_path),
                    ns,
                    protocol,
                    adapter,
                    title,
                    _schemas.ToEquatableArray(),
                    _enums.ToEquatableArray(),
                    operations.ToEquatableArray());
            }

            // ---------------------------------------------------------------- schemas

            /// <summary>What a schema node means for a property: its type plus the facts that live on the property.</summary>
            private readonly struct SchemaInfo
            {
                public SchemaInfo(TypeRef type, bool nullable = false, string? constValue = null, List<string>? enumValues = null, string? enumClass = null)
                {
                    Type = type;
                    Nullable = nullable;
                    Const = constValue;
                    EnumValues = enumValues;
                    EnumClass = enumClass;
                }

                public TypeRef Type { get; }

                public bool Nullable { get; }

                public string? Const { get; }

                /// <summary>Inline enum values not yet given a constants class.</summary>
                public List<string>? EnumValues { get; }

                /// <summary>A constants class already emitted for a referenced enum.</summary>
                public string? EnumClass { get; }

                public SchemaInfo AsNullable() => new SchemaInfo(Type, true, Const, EnumValues, EnumClass);
            }

            private SchemaInfo ResolveComponent(string name, YamlMappingNode node)
            {
                if (_resolved.TryGetValue(name, out var done))
                {
                    return done;
                }
                var className = Naming.ToPascalCase(name);
                if (IsClassSchema(node))
                {
                    // Record the result first: a class may refer to itself (trees) or to a class that refers back.
                    var named = new SchemaInfo(new TypeRef(TypeKind.Named, className));
                    _resolved[name] = named;
                    ParseType(node, className);
                    return named;
                }
                if (!_resolving.Add(name))
                {
                    Report(DiagnosticDescriptors.UnsupportedSchema, node, $"schema '{name}' refers to itself without an object in between");
                    return new SchemaInfo(TypeRef.Json);
                }
                var info = ParseType(node, className);
                if (info.EnumValues is not null)
                {
                    // A named enum gets one constants class, shared by every property that refers to it.
                    var enumClass = className + "Values";
                    AddEnum(enumClass, Scalar(node, "description"), info.EnumValues, node);
                    info = new SchemaInfo(info.Type, info.Nullable, info.Const, null, enumClass);
                }
                _resolving.Remove(name);
                _resolved[name] = info;
                return info;
            }

            private static bool IsClassSchema(YamlMappingNode node) =>
                Get(node, "properties") is not null || UnionCases(node) is { Count: > 1 };

            /// <summary>A union's cases, less <c>null</c> (nullability) and bytes (a form's file part, which never reaches a DTO).</summary>
            private static List<YamlNode>? UnionCases(YamlMappingNode node) =>
                UnionOf(node)?.Where(static c => !IsNullSchema(c) && !IsBinary(c)).ToList();

            private static IList<YamlNode>? UnionOf(YamlMappingNode node) =>
                ((Get(node, "oneOf") ?? Get(node, "anyOf")) as YamlSequenceNode)?.Children;

            private static bool IsNullSchema(YamlNode node) => node is YamlMappingNode map && Scalar(map, "type") == "null";

            /// <summary><c>{ type: string, format: binary }</c>: bytes, a file part of a form or a binary response.</summary>
            private static bool IsBinary(YamlNode node) =>
                node is YamlMappingNode map && Scalar(map, "type") == "string" && Scalar(map, "format") == "binary";

            /// <summary>A file part of a form: bytes alone, or an array of them.</summary>
            private static bool IsFileProperty(YamlNode node) =>
                IsBinary(node) || (node is YamlMappingNode map && Scalar(map, "type") == "array" && Get(map, "items") is YamlNode items && IsBinary(items));

            /// <summary>The schema a node stands for: the component a <c>$ref</c> names, or the node itself.</summary>
            private YamlMappingNode? Resolve(YamlNode node) =>
                node is YamlMappingNode map && Scalar(map, "$ref") is { } reference
                    ? reference.StartsWith(SchemaRefPrefix, StringComparison.Ordinal) && _components.TryGetValue(reference.Substring(SchemaRefPrefix.Length), out var target) ? target : null
                    : node as YamlMappingNode;

            /// <summary>Reads a schema; inline objects and unions become classes named <paramref name="inlineName"/>.</summary>
            private SchemaInfo ParseType(YamlNode node, string inlineName)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!(node is YamlMappingNode map))
                {
                    Report(DiagnosticDescriptors.UnsupportedSchema, node, "a schema must be a mapping");
                    return new SchemaInfo(TypeRef.Json);
                }

                var reference = Scalar(map, "$ref");
                if (reference is not null)
                {
                    if (!reference.StartsWith(SchemaRefPrefix, StringComparison.Ordinal) ||
                        !_components.TryGetValue(reference.Substring(SchemaRefPrefix.Length), out var target))
                    {
                        Report(DiagnosticDescriptors.UnresolvedReference, Get(map, "$ref")!, reference);
                        return new SchemaInfo(TypeRef.Json);
                    }
                    return ResolveComponent(reference.Substring(SchemaRefPrefix.Length), target);
                }

                if (Get(map, "allOf") is YamlSequenceNode allOf)
                {
                    if (allOf.Children.Count == 1)
                    {
                        return ParseType(allOf.Children[0], inlineName);
                    }
                    Report(DiagnosticDescriptors.UnsupportedSchema, allOf, "allOf with more than one schema is not supported; inline the properties");
                    return new SchemaInfo(TypeRef.Json);
                }

                var unionCases = UnionCases(map);
                if (unionCases is not null)
                {
                    var union = (Get(map, "oneOf") ?? Get(map, "anyOf"))!;
                    var nullable = ((YamlSequenceNode)union).Children.Any(IsNullSchema);
                    if (unionCases.Count == 1)
                    {
                        // anyOf [X, null] is OpenAPI's spelling of a nullable X.
                        var single = ParseType(unionCases[0], inlineName);
                        return nullable ? single.AsNullable() : single;
                    }
                    return ParseUnion(map, unionCases, inlineName, nullable);
                }

                var (typeName, isNullable) = ReadType(map);
                var constValue = Scalar(map, "const");
                if (typeName is null)
                {
                    if (Get(map, "properties") is not null)
                    {
                        typeName = "object";
                    }
                    else if (Get(map, "enum") is not null || constValue is not null)
                    {
                        typeName = "string";
                    }
                }

                switch (typeName)
                {
                    case null:
                        return new SchemaInfo(TypeRef.Json, isNullable);
                    case "string":
                        var values = Get(map, "enum") is YamlSequenceNode enumNode
                            ? enumNode.Children.OfType<YamlScalarNode>().Select(static v => v.Value ?? string.Empty).Where(static v => v.Length > 0).ToList()
                            : null;
                        return new SchemaInfo(TypeRef.String, isNullable, constValue, values);
                    case "integer":
                        return new SchemaInfo(TypeRef.Integer, isNullable);
                    case "number":
                        return new SchemaInfo(TypeRef.Number, isNullable);
                    case "boolean":
                        return new SchemaInfo(TypeRef.Boolean, isNullable);
                    case "array":
                        if (!(Get(map, "items") is YamlNode items))
                        {
                            return new SchemaInfo(new TypeRef(TypeKind.Array, Item: TypeRef.Json), isNullable);
                        }
                        var item = ParseType(items, NameOverride(map, "x-manifold-type-name") ?? Naming.Singular(inlineName));
                        return new SchemaInfo(new TypeRef(TypeKind.Array, Item: item.Type), isNullable, enumValues: item.EnumValues, enumClass: item.EnumClass);
                    case "object":
                        if (Get(map, "properties") is YamlMappingNode)
                        {
                            var className = NameOverride(map, "x-manifold-type-name") ?? inlineName;
                            ParseObject(className, map);
                            return new SchemaInfo(new TypeRef(TypeKind.Named, className), isNullable);
                        }
                        if (Get(map, "additionalProperties") is YamlMappingNode valueSchema && valueSchema.Children.Count > 0)
                        {
                            var value = ParseType(valueSchema, inlineName + "Value");
                            return new SchemaInfo(new TypeRef(TypeKind.Map, Item: value.Type), isNullable);
                        }
                        return new SchemaInfo(TypeRef.Json, isNullable);
                    default:
                        Report(DiagnosticDescriptors.UnsupportedSchema, Get(map, "type")!, $"type '{typeName}' is not supported");
                        return new SchemaInfo(TypeRef.Json);
                }
            }

            private (string? Type, bool Nullable) ReadType(YamlMappingNode map)
            {
                var node = Get(map, "type");
                var nullable = Scalar(map, "nullable") == "true";
                if (node is YamlScalarNode scalar)
                {
                    return (scalar.Value, nullable);
                }
                if (node is YamlSequenceNode list)
                {
                    var types = list.Children.OfType<YamlScalarNode>().Select(static s => s.Value).ToList();
                    var nonNull = types.Where(static t => t != "null").ToList();
                    if (nonNull.Count > 1)
                    {
                        Report(DiagnosticDescriptors.UnsupportedSchema, list, "a list of several types is not supported; use oneOf");
                    }
                    return (nonNull.FirstOrDefault(), nullable || types.Contains("null"));
                }
                return (null, nullable);
            }

            private void ParseObject(string className, YamlMappingNode map)
            {
                if (!_classNames.Add(className))
                {
                    Report(DiagnosticDescriptors.Duplicate, map, $"more than one schema generates the class '{className}'; name one with x-manifold-type-name");
                    return;
                }
                var required = Get(map, "required") is YamlSequenceNode requiredList
                    ? new HashSet<string>(requiredList.Children.OfType<YamlScalarNode>().Select(static s => s.Value!), StringComparer.Ordinal)
                    : new HashSet<string>(StringComparer.Ordinal);

                var properties = new List<PropertySpec>();
                var used = new HashSet<string>(StringComparer.Ordinal) { className, "AdditionalProperties", "Validate" };
                foreach (var entry in ((YamlMappingNode)Get(map, "properties")!).Children)
                {
                    if (!(entry.Key is YamlScalarNode key))
                    {
                        continue;
                    }
                    var jsonName = key.Value!;
                    if (IsFileProperty(entry.Value))
                    {
                        // A form's file part reaches the adapter as a file, beside the DTO (see FileParts).
                        continue;
                    }
                    var propertyNode = entry.Value as YamlMappingNode;
                    var clrName = (propertyNode is null ? null : NameOverride(propertyNode, "x-manifold-name")) ?? Naming.ToPascalCase(jsonName);
                    while (!used.Add(clrName))
                    {
                        clrName += "Value";
                    }
                    var info = ParseType(entry.Value, className + clrName);
                    var enumClass = info.EnumClass;
                    if (info.EnumValues is not null)
                    {
                        enumClass = className + clrName + "Values";
                        AddEnum(enumClass, $"Known values of {jsonName}.", info.EnumValues, entry.Value);
                    }
                    var isRequired = required.Contains(jsonName);
                    var (minimum, maximum) = propertyNode is null ? (null, null) : Bounds(propertyNode, info.Type, className, jsonName);
                    properties.Add(new PropertySpec(
                        jsonName,
                        clrName,
                        info.Type,
                        Required: isRequired && !info.Nullable,
                        WriteNull: isRequired && info.Nullable,
                        info.Const,
                        enumClass,
                        propertyNode is null ? null : Scalar(propertyNode, "description"),
                        KeepAssignedNull: !isRequired && (info.Nullable || info.Type.Kind == TypeKind.Json),
                        Minimum: minimum,
                        Maximum: maximum));
                }
                if (_snakeCaseAliases)
                {
                    AddSnakeCaseAliases(properties, used);
                }
                foreach (var missing in required.Where(r => properties.All(p => p.JsonName != r)))
                {
                    Report(DiagnosticDescriptors.MissingField, Get(map, "required")!, $"required property '{missing}' of '{className}' is not in its properties");
                }
                _schemas.Add(new SchemaSpec(className, SchemaKind.Object, Scalar(map, "description"), properties.ToEquatableArray(), EquatableArray<UnionCaseSpec>.Empty));
            }

            /// <summary>
            /// A number's or an integer's <c>minimum</c>/<c>maximum</c>, as C# literals of the property's type; anything else is
            /// reported (a bound the generator silently dropped would be a check that never runs).
            /// </summary>
            private (string? Minimum, string? Maximum) Bounds(YamlMappingNode property, TypeRef type, string className, string jsonName)
            {
                string? Literal(string key)
                {
                    if (!(Get(property, key) is { } node))
                    {
                        return null;
                    }
                    var text = (node as YamlScalarNode)?.Value;
                    if (type.Kind == TypeKind.Integer && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    {
                        return integer.ToString(CultureInfo.InvariantCulture) + "L";
                    }
                    if (type.Kind == TypeKind.Number && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number))
                    {
                        return number.ToString("R", CultureInfo.InvariantCulture) + "d";
                    }
                    Report(DiagnosticDescriptors.UnsupportedSchema, node, $"'{key}' of '{className}.{jsonName}' must be a number, on a number or integer property");
                    return null;
                }
                return (Literal("minimum"), Literal("maximum"));
            }

            private SchemaInfo ParseUnion(YamlMappingNode map, List<YamlNode> caseNodes, string inlineName, bool nullable)
            {
                var className = NameOverride(map, "x-manifold-type-name") ?? inlineName;
                if (!_classNames.Add(className))
                {
                    Report(DiagnosticDescriptors.Duplicate, map, $"more than one schema generates the class '{className}'; name one with x-manifold-type-name");
                    return new SchemaInfo(new TypeRef(TypeKind.Named, className), nullable);
                }
                var cases = new List<UnionCaseSpec>();
                List<string>? enumValues = null;
                foreach (var caseNode in caseNodes)
                {
                    var info = ParseType(caseNode, className + "Object");
                    var kind = KindOf(info.Type);
                    if (cases.Any(c => c.Kind == kind))
                    {
                        Report(DiagnosticDescriptors.UnsupportedSchema, caseNode, $"oneOf in '{className}' has two alternatives of JSON kind {kind}; alternatives must differ in kind (string, number, boolean, array, object)");
                        continue;
                    }
                    enumValues ??= info.EnumValues;
                    cases.Add(new UnionCaseSpec(kind, kind + "Value", info.Type));
                }
                if (enumValues is not null)
                {
                    AddEnum(className + "Values", $"Known string values of {className}.", enumValues, map);
                }
                _schemas.Add(new SchemaSpec(className, SchemaKind.Union, Scalar(map, "description"), EquatableArray<PropertySpec>.Empty, cases.ToEquatableArray()));
                return new SchemaInfo(new TypeRef(TypeKind.Named, className), nullable);
            }

            private JsonKind KindOf(TypeRef type) => type.Kind switch
            {
                TypeKind.String => JsonKind.String,
                TypeKind.Integer or TypeKind.Number => JsonKind.Number,
                TypeKind.Boolean => JsonKind.Boolean,
                TypeKind.Array => JsonKind.Array,
                _ => JsonKind.Object,
            };

            private void AddEnum(string className, string? description, List<string> values, YamlNode node)
            {
                if (_enums.Any(e => e.ClassName == className) || !_classNames.Add(className))
                {
                    Report(DiagnosticDescriptors.Duplicate, node, $"more than one schema generates the class '{className}'");
                    return;
                }
                _enums.Add(new EnumSpec(className, description, values.Distinct(StringComparer.Ordinal).ToEquatableArray()));
            }

            // ---------------------------------------------------------------- YAML helpers

            private static YamlNode? Get(YamlMappingNode map, string key)
            {
                foreach (var entry in map.Children)
                {
                    if (entry.Key is YamlScalarNode scalar && scalar.Value == key)
                    {
                        return entry.Value;
                    }
                }
                return null;
            }

            private static string? Scalar(YamlMappingNode map, string key) => (Get(map, key) as YamlScalarNode)?.Value;

            /// <summary>A C# name given by an <c>x-manifold-*</c> key; one that is not a C# identifier is reported and ignored.</summary>
            private string? NameOverride(YamlMappingNode map, string key)
            {
                var name = Scalar(map, key);
                if (name is null || Naming.IsIdentifier(name))
                {
                    return name;
                }
                Report(DiagnosticDescriptors.UnsupportedSchema, Get(map, key)!, $"{key} '{name}' is not a C# identifier");
                return null;
            }

            private static string ShortName(string path)
            {
                var normalized = path.Replace('\\', '/');
                var parts = normalized.Split('/');
                return parts.Length >= 2 ? parts[parts.Length - 2] + "/" + parts[parts.Length - 1] : normalized;
            }

            private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, string message) =>
                ReportAt(descriptor, node.Start, node.End, message);

            private void ReportAt(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Mark start, Mark end, string message) =>
                _diagnostics.Add(Info(descriptor, start, end, message));

            private DiagnosticInfo Info(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, Mark start, Mark end, string message)
            {
                var startIndex = (int)Math.Max(0, start.Index);
                var endIndex = (int)Math.Max(startIndex, end.Index);
                var lineSpan = new LinePositionSpan(
                    new LinePosition((int)Math.Max(0, start.Line - 1), (int)Math.Max(0, start.Column - 1)),
                    new LinePosition((int)Math.Max(0, end.Line - 1), (int)Math.Max(0, end.Column - 1)));
                return new DiagnosticInfo(
                    descriptor.Id,
                    _path,
                    TextSpan.FromBounds(startIndex, endIndex),
                    lineSpan,
                    new[] { message }.ToEquatableArray());
            }
        }
    }
}
