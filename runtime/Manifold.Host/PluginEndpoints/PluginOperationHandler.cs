using Manifold.Contracts;
using Manifold.Host.Endpoints;

namespace Manifold.Host.PluginEndpoints;

/// <summary>
/// Serves one plugin operation the way a generated handler serves one of the host's own: read and validate the body, pick
/// the platform (by <c>/{platform}</c>, else by the model), then call the adapter through <see cref="EndpointCall"/>, which
/// owns accounts, retries, errors in the operation's protocol and streams. The plugin's delegates only pick the model and
/// call the adapter; everything around the call stays the host's, so it improves without the plugin being rebuilt.
/// </summary>
internal sealed class PluginOperationHandler(OperationDescriptor descriptor) : IPluginOperationVisitor<Func<HttpContext, Task>>
{
    public Func<HttpContext, Task> Visit<TAdapter>(PluginOperation<TAdapter> operation)
        where TAdapter : class =>
        http => HandleAsync(http, descriptor, operation);

    private static async Task HandleAsync<TAdapter>(HttpContext http, OperationDescriptor descriptor, PluginOperation<TAdapter> operation)
        where TAdapter : class
    {
        var call = new EndpointCall(http, descriptor);
        object? body = null;
        if (operation.RequestType is { } requestType)
        {
            body = await call.ReadBodyAsync(requestType);
            if (body is null)
            {
                return;
            }
        }

        var path = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in http.Request.RouteValues)
        {
            if (name != EndpointMapper.PlatformRouteValue && value is string text)
            {
                path[name] = text;
            }
        }
        var arguments = new OperationArguments(body, path);

        var model = operation.Model(arguments);
        var target = await call.ResolvePlatformAsync<TAdapter>(model);
        if (target is null)
        {
            return;
        }
        if (operation.ModelParameter is { } parameter && model is not null)
        {
            // As generated handlers pass target.ModelOr(model): the model as the platform knows it (Gemini's models/{id} as the id).
            path[parameter] = target.ModelOr(model);
        }

        if (operation.Stream is { } stream && (operation.Respond is null || operation.Streams?.Invoke(arguments) == true))
        {
            await call.StreamAsync(target, (adapter, context, cancellationToken) => stream(adapter, arguments, context, cancellationToken));
        }
        else
        {
            var respond = operation.Respond!;
            await call.RespondAsync(target, (adapter, context, cancellationToken) => respond(adapter, arguments, context, cancellationToken));
        }
    }
}
