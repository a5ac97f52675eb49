using System;
using System.Collections.Generic;
using System.Linq;
using Manifold.Generator.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Manifold.Generator
{
    public sealed partial class ManifoldGenerator
    {
        /// <summary>
        /// What a plugin's spec cannot use. The host serves a plugin's operation through one generic request path (JSON in,
        /// JSON or events out, the platform picked by a model); what needs more of the host (its task store, fan-out over every
        /// platform, forms spooled to disk, bytes, query parameters) is reported here, at the line to change, as data the
        /// Plugin target reports and the other targets ignore.
        /// </summary>
        internal sealed partial class Parser
        {
            /// <summary>Namespaces of Manifold's own specs: a plugin's types there would clash with the shared contracts' types.</summary>
            private static readonly string[] ReservedNamespaces = { "Manifold.Contracts", "Manifold.Host" };

            private readonly List<DiagnosticInfo> _pluginDiagnostics = new List<DiagnosticInfo>();

            private void CheckPluginNamespace(YamlNode node, string ns)
            {
                foreach (var reserved in ReservedNamespaces)
                {
                    if (ns == reserved || ns.StartsWith(reserved + ".", StringComparison.Ordinal))
                    {
                        ReportForPlugin(DiagnosticDescriptors.ReservedNamespace, node,
                            $"'x-manifold' namespace '{ns}' is {reserved}'s, where Manifold's own specs put their types; give a plugin's spec a namespace of the plugin's own");
                        return;
                    }
                }
            }

            private void CheckPluginOperation(YamlMappingNode pathItem, YamlMappingNode operation)
            {
                var operationId = Scalar(operation, "operationId") ?? "the operation";

                var routeBy = Get(operation, "x-manifold-route-by");
                var hostOnly = routeBy switch
                {
                    YamlScalarNode { Value: "all" } => "'x-manifold-route-by: all' (every platform answers and the host merges the lists)",
                    YamlScalarNode { Value: "tasks" } => "'x-manifold-route-by: tasks' (the host's task store answers)",
                    YamlMappingNode map when Get(map, "task") is not null => "'x-manifold-route-by: { task: … }' (the host's task store finds the job)",
                    _ => null,
                };
                if (hostOnly is not null)
                {
                    ReportForPlugin(DiagnosticDescriptors.NotForPlugins, routeBy!,
                        $"{operationId}: {hostOnly} is for Manifold's own specs; a plugin's operation is routed by {{ body: <string request property> }} or {{ path: <path parameter> }}");
                }

                foreach (var parameters in new[] { Get(pathItem, "parameters"), Get(operation, "parameters") })
                {
                    if (!(parameters is YamlSequenceNode list))
                    {
                        continue;
                    }
                    foreach (var parameter in list.Children.OfType<YamlMappingNode>().Where(static p => Scalar(p, "in") == "query"))
                    {
                        ReportForPlugin(DiagnosticDescriptors.NotForPlugins, parameter,
                            $"{operationId}: query parameter '{Scalar(parameter, "name")}' is not supported in a plugin's spec yet; take it in the JSON request body");
                    }
                }

                if (Get(operation, "requestBody") is YamlMappingNode body && Get(body, "content") is YamlMappingNode bodyContent)
                {
                    foreach (var mediaType in bodyContent.Children.Keys.OfType<YamlScalarNode>().Where(static k => k.Value == "multipart/form-data"))
                    {
                        ReportForPlugin(DiagnosticDescriptors.NotForPlugins, mediaType,
                            $"{operationId}: a multipart/form-data request body is not supported in a plugin's spec; a plugin's operation takes JSON");
                    }
                }

                if (Get(operation, "responses") is YamlMappingNode responses)
                {
                    var success = responses.Children.FirstOrDefault(static r => r.Key is YamlScalarNode code && code.Value!.StartsWith("2", StringComparison.Ordinal)).Value;
                    if (success is YamlMappingNode response && Get(response, "content") is YamlMappingNode content)
                    {
                        foreach (var entry in content.Children.Where(static c => c.Value is YamlMappingNode media && Get(media, "schema") is YamlNode schema && IsBinary(schema)))
                        {
                            ReportForPlugin(DiagnosticDescriptors.NotForPlugins, entry.Key,
                                $"{operationId}: a binary response ('{((YamlScalarNode)entry.Key).Value}') is not supported in a plugin's spec; a plugin's operation answers JSON or text/event-stream");
                        }
                    }
                }
            }

            private void ReportForPlugin(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode node, string message) =>
                _pluginDiagnostics.Add(Info(descriptor, node.Start, node.End, message));
        }
    }
}
