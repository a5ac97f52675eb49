using Manifold.Contracts;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Host.Conversion;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;

namespace Manifold.Host.Endpoints;

public sealed partial class EndpointCall
{
    /// <summary>
    /// Picks the platform: the <c>{platform}</c> route value when present, else the one serving
    /// <paramref name="model"/>. Writes a 404 and returns null when there is none.
    /// </summary>
    public async ValueTask<PlatformTarget<TAdapter>?> ResolvePlatformAsync<TAdapter>(string? model)
        where TAdapter : class
    {
        // The protocol's own spelling of a model name (Gemini's models/{id}) is routed, and sent on, as the bare id.
        var named = model;
        model = model is null ? null : _protocol.ModelOf(model);
        var registry = _runtime.Platforms;
        PlatformEntry? entry;
        if (HasPlatform)
        {
            var name = RouteValue(EndpointMapper.PlatformRouteValue);
            if (!registry.TryGet(name, out entry))
            {
                var known = string.Join(", ", registry.All.Select(static p => p.Name));
                await WriteErrorAsync(ErrorInfo.NotFound($"Unknown platform '{name}'. Configured platforms: {known}.", code: "platform_not_found"));
                return null;
            }
        }
        else
        {
            entry = string.IsNullOrEmpty(model) ? null
                : registry.ResolveModel<TAdapter>(model) ?? (ModelSuffix.Parse(model) is { } bare ? registry.ResolveModel<TAdapter>(bare.Model) : null);
            if (entry is null)
            {
                await WriteErrorAsync(ErrorInfo.NotFound(
                    $"The model '{model}' does not exist or no configured platform serves it. Call GET /v1/models for the list, or address a platform directly as /{{platform}}{_operation.Pattern}.",
                    "model",
                    "model_not_found"));
                return null;
            }
        }

        var inbound = ProtocolBridging.Inbound<TAdapter>();
        ModelSuffix? suffix = null;
        if (inbound is not null && _body is not null)
        {
            // A name the operator listed exactly is a model, never model + suffix.
            suffix = string.IsNullOrEmpty(model) || entry.ListsExactly(model) ? null : ModelSuffix.Parse(model);
            try
            {
                _output = inbound.Prepare(_body, suffix, QueryExtras());
            }
            catch (ManifoldException ex)
            {
                await WriteErrorAsync(ErrorInfo.From(ex));
                return null;
            }
        }

        TAdapter adapter;
        if (entry.Platform is TAdapter native)
        {
            adapter = native;
            _outputFilter = inbound is not null && _output != OutputOptions.Default ? inbound : null;
        }
        else if (inbound is not null && entry.HubTarget is { } hub)
        {
            adapter = (TAdapter)inbound.CreateBridge(hub, entry.HubCounter, _output);
        }
        else if (entry.ModelListView<TAdapter>() is { } view)
        {
            adapter = view;
        }
        else
        {
            await WriteErrorAsync(ErrorInfo.NotFound(
                $"Platform '{entry.Name}' (plugin '{entry.Settings.Plugin}') does not serve {_operation.Method} {_operation.Pattern}.", code: "unsupported_endpoint"));
            return null;
        }
        return new PlatformTarget<TAdapter>(entry, adapter) { Model = suffix?.Model ?? (model == named ? null : model) };
    }

    /// <summary>The output extras in the query string; the query is parsed only when there is one.</summary>
    private OutputOptions QueryExtras()
    {
        var request = _http.Request;
        return request.QueryString.HasValue
            ? RequestExtras.FromQuery(name => request.Query.TryGetValue(name, out var value) ? value.ToString() : null)
            : OutputOptions.Default;
    }
}
