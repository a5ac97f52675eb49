using System;
using Microsoft.CodeAnalysis;

namespace Manifold.Generator.Diagnostics
{
    internal static class DiagnosticDescriptors
    {
        private const string Category = "Manifold.Specs";

        public static readonly DiagnosticDescriptor InvalidYaml = Error("MF0001", "Spec is not valid YAML", "Spec is not valid YAML: {0}");
        public static readonly DiagnosticDescriptor MissingField = Error("MF0002", "Spec is missing a required field", "{0}");
        public static readonly DiagnosticDescriptor UnresolvedReference = Error("MF0003", "Unresolved $ref", "'{0}' does not name a schema in this file's components.schemas");
        public static readonly DiagnosticDescriptor UnsupportedSchema = Error("MF0004", "Unsupported schema construct", "{0}");
        public static readonly DiagnosticDescriptor InvalidOperation = Error("MF0005", "Invalid operation", "{0}");
        public static readonly DiagnosticDescriptor Duplicate = Error("MF0006", "Duplicate name", "{0}");
        public static readonly DiagnosticDescriptor NotForPlugins = Error("MF0007", "Not supported in a plugin's spec", "{0}");
        public static readonly DiagnosticDescriptor ReservedNamespace = Error("MF0008", "Namespace reserved for Manifold's own specs", "{0}");

        public static DiagnosticDescriptor ById(string id) => id switch
        {
            "MF0001" => InvalidYaml,
            "MF0002" => MissingField,
            "MF0003" => UnresolvedReference,
            "MF0004" => UnsupportedSchema,
            "MF0005" => InvalidOperation,
            "MF0006" => Duplicate,
            "MF0007" => NotForPlugins,
            "MF0008" => ReservedNamespace,
            _ => throw new ArgumentOutOfRangeException(nameof(id), id, null),
        };

        private static DiagnosticDescriptor Error(string id, string title, string format) =>
            new DiagnosticDescriptor(id, title, format, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);
    }
}
