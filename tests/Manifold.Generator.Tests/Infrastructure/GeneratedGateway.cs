using System.Reflection;
using Manifold.Contracts;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Manifold.Generator.Tests.Infrastructure;

/// <summary>
/// Generates contracts and host handlers for one spec, compiles them with a fake platform into one assembly,
/// and serves it through the real host runtime (EndpointCall, PlatformRegistry, the wire protocols) in an
/// ASP.NET Core pipeline on a TestServer, with the OpenAPI document at <c>/openapi/v1.json</c> as the host has it.
/// </summary>
internal sealed class GeneratedGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GeneratedGateway(WebApplication app, Assembly assembly)
    {
        _app = app;
        Assembly = assembly;
        Client = app.GetTestClient();
    }

    public Assembly Assembly { get; }

    public HttpClient Client { get; }

    /// <summary><paramref name="platformType"/> is the full name of the fake platform class in <paramref name="platformSource"/>.</summary>
    public static async Task<GeneratedGateway> StartAsync(string assemblyName, (string Path, string Text) spec, string platformSource, string platformType)
    {
        var contracts = GeneratorDriverHelper.Run(GeneratorDriverHelper.Contracts, spec).AssertClean();
        var host = GeneratorDriverHelper.Run(GeneratorDriverHelper.Host, spec).AssertClean();
        var assembly = GeneratorDriverHelper.CompileAndLoad(
            assemblyName,
            contracts.Trees.Concat(host.Trees).Append(GeneratorDriverHelper.ParseSource(platformSource, "Platform.cs")));

        var platform = (IPlatform)Activator.CreateInstance(assembly.GetType(platformType, throwOnError: true)!)!;
        var registry = new PlatformRegistry([new PlatformEntry(platform, new PlatformSettings { Name = platform.Name, Plugin = platform.Name }, TimeProvider.System)]);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new GatewayRuntime(registry, Options.Create(new GatewayOptions()), new GatewayLog(NullLogger<GatewayLog>.Instance)));
        builder.Services.AddOpenApi();
        var app = builder.Build();

        // The generated class is internal to the generated assembly; its entry point is what Program.cs calls.
        var endpoints = assembly.GetType("Manifold.Host.Generated.ManifoldEndpoints", throwOnError: true)!;
        endpoints.GetMethod("MapManifoldEndpoints", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [app]);
        app.MapOpenApi();

        await app.StartAsync();
        return new GeneratedGateway(app, assembly);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
