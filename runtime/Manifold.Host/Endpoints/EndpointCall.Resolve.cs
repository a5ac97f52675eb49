using Manifold.Contracts;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Options;
using Manifold.Host.Accounts;
using Manifold.Host.Characters;
using Manifold.Host.Conversion;
using Manifold.Host.Metrics;
using Manifold.Host.Platforms;
using Manifold.Host.Protocols;

using Manifold.Host.Tasks;

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
        // model|[group1,group2]: the groups limit the accounts; the model is the part before '|'.
        string[]? groups = null;
        if (model is not null)
        {
            if (AccountGroups.TrySplit(model, out var withoutGroups, out var namedGroups, out var malformed))
            {
                (model, groups) = (withoutGroups, namedGroups);
            }
            else if (malformed is not null)
            {
                await WriteErrorAsync(ErrorInfo.BadRequest(malformed, "model", "invalid_value"));
                return null;
            }
        }
        // A chat request for a video or image model is a media job (EndpointCall.MediaChat.cs), answered there.
        if (typeof(TAdapter) == typeof(Manifold.Contracts.OpenAI.IChatCompletionsAdapter) && await ServedAsMediaChatAsync(model, groups))
        {
            return null;
        }
        // Logged even if no platform serves it: the operator sees what was asked for.
        _meter?.Route(null, model);
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
            // Among the platforms the licence may use: a model several platforms serve goes to one it is allowed on.
            Func<PlatformEntry, bool>? allowed = Licence?.Policy.Platforms is null ? null : MayAsk;
            ErrorInfo? noPlatform = null;
            // Characters: the body's model is optional (the official SDK sends none), see CharacterPlatform.
            entry = VideoCharacters.Serves<TAdapter>() ? CharacterPlatform(model, allowed, out noPlatform)
                : string.IsNullOrEmpty(model) ? null
                : registry.ResolveModel<TAdapter>(model, allowed) ?? (ModelSuffix.Parse(model) is { } bare ? registry.ResolveModel<TAdapter>(bare.Model, allowed) : null);
            if (entry is null)
            {
                await WriteErrorAsync(noPlatform ?? ErrorInfo.NotFound(
                    $"The model '{model}' does not exist or no configured platform serves it. Call GET /v1/models for the list, or address a platform directly as /{{platform}}{_operation.Pattern}.",
                    "model",
                    "model_not_found"));
                return null;
            }
        }

        RequestPlatform.Set(_http, entry);
        _meter?.Route(entry.Name, model);
        if (PolicyRefusal(entry, model) is { } refusal)
        {
            await WriteErrorAsync(refusal);
            return null;
        }
        if (RouteAccounts(groups, out var route) is { } invalid)
        {
            await WriteErrorAsync(invalid);
            return null;
        }
        if (groups is not null && _body is not null)
        {
            RequestBodyFields.TrySetModel(_body, model!);
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
        if (MediaTasks.IsTaskAdapter<TAdapter>())
        {
            // A media API: every call is a durable task, recorded with Manifold's id in front of the platform's adapter.
            adapter = _http.RequestServices.GetRequiredService<MediaTasks>().Wrap<TAdapter>(entry, task: null, LicenceId, PublicBase)!;
        }
        else if (entry.Platform is TAdapter native)
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
        if (suffix is not null)
        {
            _meter?.Route(entry.Name, suffix.Model);
        }
        return new PlatformTarget<TAdapter>(entry, adapter) { Model = suffix?.Model ?? (model == named ? null : model), Route = route };
    }

    /// <summary>The output extras in the query string; the query is parsed only when there is one.</summary>
    private OutputOptions QueryExtras()
    {
        var request = _http.Request;
        return request.QueryString.HasValue
            ? RequestExtras.FromQuery(name => request.Query.TryGetValue(name, out var value) ? value.ToString() : null)
            : OutputOptions.Default;
    }

    /// <summary>The caller's licence id (jobs are theirs alone); null when the licence check is off (tests of generated code).</summary>
    private long? LicenceId => Licence?.Id;

    /// <summary>
    /// Routing by resource: the job <paramref name="id"/> names its platform and the account that made it. A job that does
    /// not exist, is not the caller's, or (under <c>/{platform}</c>) is another platform's is the same 404, so ids reveal nothing.
    /// </summary>
    public async ValueTask<PlatformTarget<TAdapter>?> ResolveTaskAsync<TAdapter>(string id)
        where TAdapter : class
    {
        if (VideoCharacters.Serves<TAdapter>())
        {
            return await ResolveCharacterAsync<TAdapter>(id);
        }
        var tasks = _http.RequestServices.GetRequiredService<MediaTasks>();
        // Either spelling of a job id: Manifold's (video_…), or the Gemini surface's without the underscore (video…).
        var task = CompactTaskIds.Parse(id) is { } jobId ? await tasks.Store.GetAsync(jobId, Aborted) : null;
        PlatformEntry? entry = null;
        if (task is null || task.LicenceId != LicenceId
            || (HasPlatform && !string.Equals(RouteValue(EndpointMapper.PlatformRouteValue), task.Platform, StringComparison.Ordinal))
            || !_runtime.Platforms.TryGet(task.Platform, out entry))
        {
            await WriteErrorAsync(ErrorInfo.NotFound($"No job with id '{id}' was found.", code: "not_found"));
            return null;
        }
        RequestPlatform.Set(_http, entry);
        var adapter = tasks.Wrap<TAdapter>(entry, task, LicenceId, PublicBase)!;
        _meter?.Route(task.Platform, task.Model);
        return new PlatformTarget<TAdapter>(entry, adapter) { Pinned = task.AccountId is { } account ? entry.FindAccount(account) : null };
    }

    /// <summary>The caller's jobs, whichever platforms made them: answered by Manifold's task store alone.</summary>
    public async ValueTask<PlatformTarget<TAdapter>?> ResolveTasksAsync<TAdapter>()
        where TAdapter : class
    {
        var tasks = _http.RequestServices.GetRequiredService<MediaTasks>();
        var entry = tasks.Local;
        if (HasPlatform && !_runtime.Platforms.TryGet(RouteValue(EndpointMapper.PlatformRouteValue), out _))
        {
            await WriteErrorAsync(ErrorInfo.NotFound($"Unknown platform '{RouteValue(EndpointMapper.PlatformRouteValue)}'.", code: "platform_not_found"));
            return null;
        }
        return new PlatformTarget<TAdapter>(entry, tasks.Wrap<TAdapter>(entry, task: null, LicenceId, PublicBase)!);
    }

    /// <summary>Where this client reached the gateway (scheme, host, path base): links handed back must work from there.</summary>
    private string PublicBase => _runtime.Options.PublicBaseUrl is { Length: > 0 } configured
        ? configured.TrimEnd('/')
        : $"{_http.Request.Scheme}://{_http.Request.Host}{_http.Request.PathBase}";
}
