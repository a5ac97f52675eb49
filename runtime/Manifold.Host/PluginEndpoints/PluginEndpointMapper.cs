using Manifold.Contracts;
using Manifold.Host.Endpoints;
using Manifold.Host.Plugins;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Manifold.Host.PluginEndpoints;

/// <summary>
/// Maps the operations of plugins' own specs (<see cref="LoadedPlugin.Operations"/>), each at the root and under
/// <c>/{platform}</c> like the host's own, through <see cref="EndpointMapper"/>: the same licence check (the
/// <see cref="OperationDescriptor"/> metadata), the same OpenAPI description, the same request path
/// (<see cref="PluginOperationHandler"/>).
/// </summary>
public static class PluginEndpointMapper
{
    /// <summary>
    /// Maps every operation of <paramref name="plugins"/>. Call after the host's own routes: an operation that would share a
    /// route or an endpoint name with one already mapped (the host's, or another plugin's) stops startup, naming both, since
    /// serving it would answer every such request with an ambiguous-match error, and skipping it would hide the plugin's
    /// endpoint from an operator who deployed it.
    /// </summary>
    /// <exception cref="InvalidOperationException">An operation is malformed or clashes with a route or name already mapped.</exception>
    public static IEndpointRouteBuilder MapPluginEndpoints(this IEndpointRouteBuilder endpoints, IReadOnlyList<LoadedPlugin> plugins)
    {
        if (plugins.All(static p => p.Operations.Count == 0))
        {
            return endpoints;
        }
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Manifold.Plugins");
        var mapped = MappedRoutes.Of(endpoints);
        foreach (var plugin in plugins)
        {
            foreach (var operation in plugin.Operations)
            {
                var owner = $"plugin '{plugin.AssemblyPath}' ({operation.OperationId})";
                Check(operation, plugin, mapped);
                if (!WireProtocols.Knows(operation.Protocol))
                {
                    PluginEndpointsLog.UnknownProtocol(logger, plugin.AssemblyPath, operation.OperationId, operation.Protocol);
                }
                var descriptor = Describe(operation);
                EndpointMapper.Map(endpoints, descriptor, operation.Accept(new PluginOperationHandler(descriptor)));
                foreach (var (name, pattern) in Routes(operation))
                {
                    mapped.AddRoute(operation.Method, pattern, owner);
                    mapped.AddName(name, owner);
                }
                PluginEndpointsLog.Mapped(logger, plugin.AssemblyPath, operation.Method, operation.Pattern, operation.OperationId);
            }
        }
        return endpoints;
    }

    private static OperationDescriptor Describe(PluginOperation operation) =>
        new(operation.OperationId, operation.Protocol, operation.Adapter, operation.Method.ToUpperInvariant(), operation.Pattern,
            operation.Summary, operation.RequestType, operation.ResponseType, operation.StreamType)
        {
            Aliases = operation.Aliases,
            SuccessStatus = operation.SuccessStatus,
        };

    /// <summary>Every endpoint <see cref="EndpointMapper"/> makes of the operation: its name and route pattern.</summary>
    private static IEnumerable<(string Name, string Pattern)> Routes(PluginOperation operation)
    {
        var patterns = new[] { operation.Pattern }.Concat(operation.Aliases).ToList();
        for (var i = 0; i < patterns.Count; i++)
        {
            var name = i == 0 ? operation.OperationId : $"{operation.OperationId}Alias{i}";
            yield return (name, patterns[i]);
            yield return (name + "ForPlatform", "/{" + EndpointMapper.PlatformRouteValue + "}" + patterns[i]);
        }
    }

    /// <summary>
    /// Generated operations are well formed; this guards the host against hand-made or stale ones with messages that name the
    /// plugin, rather than a failure deep inside routing or a 500 per request.
    /// </summary>
    private static void Check(PluginOperation operation, LoadedPlugin plugin, MappedRoutes mapped)
    {
        void Fail(string problem) => throw new InvalidOperationException($"Plugin '{plugin.AssemblyPath}' operation '{operation.OperationId}' {problem}");

        if (string.IsNullOrWhiteSpace(operation.OperationId) || string.IsNullOrWhiteSpace(operation.Method))
        {
            Fail("needs an operation id and an HTTP method.");
        }
        if (operation.RequestType is { } requestType && !typeof(IValidatable).IsAssignableFrom(requestType))
        {
            Fail($"takes a {requestType.FullName}, which is not a generated request DTO ({nameof(IValidatable)}).");
        }
        if (!HasInvoker(operation))
        {
            Fail("has neither a JSON answer nor a stream to call.");
        }
        foreach (var pattern in operation.Aliases.Prepend(operation.Pattern))
        {
            RoutePattern parsed;
            try
            {
                parsed = RoutePatternFactory.Parse(pattern);
            }
            catch (RoutePatternException ex)
            {
                Fail($"has the route '{pattern}', which is not a route pattern: {ex.Message}");
                return;
            }
            if (parsed.GetParameter(EndpointMapper.PlatformRouteValue) is not null)
            {
                Fail($"has the route '{pattern}', whose parameter '{{{EndpointMapper.PlatformRouteValue}}}' is the host's (the /{{{EndpointMapper.PlatformRouteValue}}} prefix).");
            }
        }
        foreach (var (name, pattern) in Routes(operation))
        {
            if (mapped.RouteOwner(operation.Method, pattern) is { } routeOwner)
            {
                Fail($"would serve {operation.Method.ToUpperInvariant()} {pattern}, which {routeOwner} already serves. Remove one of them, or change the plugin's spec.");
            }
            if (mapped.NameOwner(name) is { } nameOwner)
            {
                Fail($"would name an endpoint '{name}', which {nameOwner} already has. Operation ids must be unique across the gateway; rename it in the plugin's spec.");
            }
        }
    }

    private static bool HasInvoker(PluginOperation operation) => operation.Accept(InvokerProbe.Instance);

    /// <summary>Whether a typed operation has something to call.</summary>
    private sealed class InvokerProbe : IPluginOperationVisitor<bool>
    {
        public static readonly InvokerProbe Instance = new();

        public bool Visit<TAdapter>(PluginOperation<TAdapter> operation)
            where TAdapter : class => operation.Respond is not null || operation.Stream is not null;
    }
}
