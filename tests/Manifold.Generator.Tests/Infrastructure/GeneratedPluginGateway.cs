using System.Collections.Immutable;
using Manifold.Contracts;
using Manifold.Host.Gateway;
using Manifold.Host.Platforms;
using Manifold.Host.PluginEndpoints;
using Manifold.Host.Plugins;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Manifold.Generator.Tests.Infrastructure;

/// <summary>
/// Builds a plugin from specs as a plugin project would (ManifoldGeneratorTarget Plugin, compiled against the contracts
/// and the base framework only, never the host), writes it to disk, loads it with the host's <see cref="PluginLoader"/>
/// into its own load context, and serves its operations through <see cref="PluginEndpointMapper"/> on a TestServer, with
/// the OpenAPI document at <c>/openapi/v1.json</c>.
/// </summary>
internal sealed class GeneratedPluginGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private GeneratedPluginGateway(WebApplication app, LoadedPlugin plugin, string directory)
    {
        _app = app;
        _directory = directory;
        Plugin = plugin;
        Client = app.GetTestClient();
    }

    public LoadedPlugin Plugin { get; }

    public HttpClient Client { get; }

    /// <summary>What a plugin compiles against: everything <see cref="GeneratorDriverHelper.References"/> has but the host and ASP.NET Core.</summary>
    public static ImmutableArray<MetadataReference> PluginReferences { get; } =
    [
        .. GeneratorDriverHelper.References.Where(static r =>
        {
            var name = Path.GetFileNameWithoutExtension(r.Display) ?? string.Empty;
            return !name.StartsWith("Manifold.Host", StringComparison.Ordinal) && !name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal);
        }),
    ];

    /// <summary><paramref name="platformType"/> is the full name of the platform class in <paramref name="platformSource"/>.</summary>
    public static async Task<GeneratedPluginGateway> StartAsync(
        string assemblyName, (string Path, string Text)[] specs, string platformSource, string platformType)
    {
        var generated = GeneratorDriverHelper.Run(GeneratorDriverHelper.Plugin, specs).AssertClean();
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            assemblyName,
            [.. generated.Trees, GeneratorDriverHelper.ParseSource(platformSource, "Platform.cs")],
            PluginReferences,
            new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var directory = Directory.CreateTempSubdirectory("manifold-plugin-").FullName;
        var path = Path.Combine(directory, assemblyName + ".dll");
        var emit = compilation.Emit(path);
        Assert.True(emit.Success, "The plugin does not compile:\n" + string.Join("\n", emit.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).Take(20)));

        var plugin = PluginLoader.Load(path);
        var platform = (IPlatform)Activator.CreateInstance(plugin.Assembly.GetType(platformType, throwOnError: true)!)!;
        var registry = new PlatformRegistry([new PlatformEntry(platform, new PlatformSettings { Name = platform.Name, Plugin = platform.Name }, TimeProvider.System)], [plugin]);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new GatewayRuntime(registry, Options.Create(new GatewayOptions()), new GatewayLog(NullLogger<GatewayLog>.Instance)));
        builder.Services.AddOpenApi();
        var app = builder.Build();
        app.MapPluginEndpoints(registry.Plugins);
        app.MapOpenApi();
        await app.StartAsync();
        return new GeneratedPluginGateway(app, plugin, directory);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        try
        {
            // The loaded assembly keeps its file open on some platforms; a leftover temp folder is harmless.
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
