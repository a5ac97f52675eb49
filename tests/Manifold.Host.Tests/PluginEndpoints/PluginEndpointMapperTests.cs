using Manifold.Contracts;
using Manifold.Host.Endpoints;
using Manifold.Host.Generated;
using Manifold.Host.PluginEndpoints;
using Manifold.Host.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.PluginEndpoints;

/// <summary>
/// A plugin's operation that would share a route or an endpoint name with one already mapped stops startup with a message
/// naming both; one that does not is mapped at the root and under <c>/{platform}</c> with the gateway's metadata.
/// </summary>
public sealed class PluginEndpointMapperTests : IAsyncDisposable
{
    public interface IThingsAdapter
    {
    }

    private readonly WebApplication _app;

    public PluginEndpointMapperTests()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _app = builder.Build();
        // The host's own routes, as Program.cs maps them before the plugins'.
        _app.MapManifoldEndpoints();
        _app.MapGet("/healthz", static () => "ok");
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static PluginOperation Operation(string operationId, string method, string pattern) => new PluginOperation<IThingsAdapter>
    {
        OperationId = operationId,
        Protocol = "openai",
        Adapter = "Things",
        Method = method,
        Pattern = pattern,
        Model = static _ => null,
        Respond = static (_, _, _, _) => Task.FromResult(new object()),
    };

    private static LoadedPlugin Plugin(string path, params PluginOperation[] operations) =>
        new(path, typeof(PluginEndpointMapperTests).Assembly, [], operations);

    private InvalidOperationException Refused(params LoadedPlugin[] plugins) =>
        Assert.Throws<InvalidOperationException>(() => _app.MapPluginEndpoints(plugins));

    [Theory]
    [InlineData("POST", "/v1/chat/completions")]
    [InlineData("post", "/V1/Chat/Completions")]
    // Its root route is the pattern of the host's /{platform}/v1/chat/completions, whatever the parameter's name.
    [InlineData("POST", "/{tenant}/v1/chat/completions")]
    [InlineData("GET", "/healthz")]
    public void A_route_the_host_serves_stops_startup_naming_both(string method, string pattern)
    {
        var error = Refused(Plugin("/plugins/acme/Acme.dll", Operation("acmeThing", method, pattern)));

        Assert.Contains("Plugin '/plugins/acme/Acme.dll' operation 'acmeThing' would serve", error.Message);
        Assert.Contains("the gateway's", error.Message);
    }

    [Fact]
    public void A_route_another_plugin_took_stops_startup_naming_that_plugin()
    {
        var error = Refused(
            Plugin("/plugins/one/One.dll", Operation("rerankOne", "POST", "/v1/rerank")),
            Plugin("/plugins/two/Two.dll", Operation("rerankTwo", "POST", "/v1/rerank/")));

        Assert.Contains("Plugin '/plugins/two/Two.dll' operation 'rerankTwo' would serve POST /v1/rerank", error.Message);
        Assert.Contains("plugin '/plugins/one/One.dll' (rerankOne) already serves", error.Message);
    }

    [Fact]
    public void An_operation_id_the_gateway_has_stops_startup()
    {
        var error = Refused(Plugin("/plugins/acme/Acme.dll", Operation("createChatCompletion", "POST", "/v1/acme/completions")));

        Assert.Contains("would name an endpoint 'createChatCompletion'", error.Message);
    }

    [Fact]
    public void The_platform_parameter_is_the_hosts()
    {
        var error = Refused(Plugin("/plugins/acme/Acme.dll", Operation("acmeThing", "GET", "/v1/things/{platform}")));

        Assert.Contains("whose parameter '{platform}' is the host's", error.Message);
    }

    [Fact]
    public void An_operation_with_nothing_to_call_stops_startup()
    {
        var empty = new PluginOperation<IThingsAdapter>
        {
            OperationId = "acmeThing",
            Protocol = "openai",
            Adapter = "Things",
            Method = "POST",
            Pattern = "/v1/things",
            Model = static _ => null,
        };

        Assert.Contains("has neither a JSON answer nor a stream", Refused(Plugin("/plugins/acme/Acme.dll", empty)).Message);
    }

    [Fact]
    public void A_new_route_is_mapped_at_the_root_and_under_the_platform_as_a_gateway_operation()
    {
        _app.MapPluginEndpoints([Plugin("/plugins/acme/Acme.dll", Operation("rerank", "POST", "/v1/rerank"))]);

        var mapped = ((IEndpointRouteBuilder)_app).DataSources.SelectMany(static s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(static e => e.Metadata.GetMetadata<OperationDescriptor>()?.OperationId == "rerank")
            .ToList();
        Assert.Equal(["/v1/rerank", "/{platform}/v1/rerank"], mapped.Select(static e => e.RoutePattern.RawText));
        // The descriptor is what the licence check and the error shape go by.
        Assert.All(mapped, static e => Assert.Equal("openai", e.Metadata.GetMetadata<OperationDescriptor>()!.Protocol));
    }
}
