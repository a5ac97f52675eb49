using Manifold.Host.Characters;
using System.Net;
using Manifold.Contracts;
using Manifold.Host.Accounts;
using Manifold.Host.Endpoints;
using Manifold.Host.Licences;
using Manifold.Host.Platforms;
using Manifold.Host.Plugins;
using Manifold.Host.Tasks;
using Manifold.Host.Metering;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Manifold.Host.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>The upstream client's name in <see cref="IHttpClientFactory"/>.</summary>
    public const string UpstreamClientName = "manifold-upstream";

    /// <summary>The client for URLs clients supply (reference images; webhooks), behind the private-address guard.</summary>
    public const string ClientUrlsClientName = "manifold-client-urls";

    /// <summary>Registers licences, storage, plugins, platforms and the request path.</summary>
    public static IServiceCollection AddManifoldGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddManifoldLicences(configuration);
        var gateway = configuration.GetSection(GatewayOptions.SectionName);
        services.AddOptions<GatewayOptions>()
            .Bind(gateway)
            // PluginsPath may be a string or a list; the binder reads only one of the two forms.
            .Configure(options => options.PluginsPath = PluginFolders.ReadPaths(gateway.GetSection(nameof(GatewayOptions.PluginsPath))));
        services.AddSingleton<GatewayLog>();
        services.AddSingleton<UpstreamCredentials>();
        services.AddSingleton<GatewayRuntime>();
        services.AddManifoldTasks(configuration);
        services.AddManifoldCharacters(configuration);
        services.AddManifoldUsage(configuration);
        services.AddManifoldAccounts(configuration);
        // One route, several protocols (GET /v1/models): the client's protocol answers.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ClientProtocolPolicy>());

        // One pooled handler for every upstream call. Streams can last minutes, so no overall timeout: connection
        // setup, the first byte and every silence are bounded instead (UpstreamTimeouts), and pooled connections are
        // recycled to follow DNS changes.
        services.AddHttpClient(UpstreamClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler(static provider => new UpstreamTimeoutHandler(
                provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.Timeouts,
                provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.Limits,
                provider.GetRequiredService<UpstreamCredentials>()))
            .ConfigurePrimaryHttpMessageHandler(static provider => new SocketsHttpHandler
            {
                ConnectTimeout = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value.Timeouts.Connect,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
                // No Accept-Encoding: upstream JSON is parsed here, and compressing it on a datacenter link costs more CPU than it saves.
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = int.MaxValue,
                EnableMultipleHttp2Connections = true,
                // Internal trace ids are ours; they are not sent to third-party model vendors.
                ActivityHeadersPropagator = null,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default logging handlers write every upstream URL per request; the gateway logs what matters itself.
            .RemoveAllLoggers();

        // Every fetch of a client's URL goes through the guard (no loopback, private, link-local, metadata or reserved
        // addresses, checked at each connection so redirects and DNS rebinding cannot get around it), bounded in time.
        services.AddHttpClient(ClientUrlsClientName, static client => client.Timeout = TimeSpan.FromSeconds(30))
            .ConfigurePrimaryHttpMessageHandler(static provider => Manifold.Contracts.Net.GuardedHttp.CreateHandler(
                provider.GetRequiredService<IConfiguration>().GetValue<bool>("Manifold:Network:AllowPrivateAddresses")))
            .RemoveAllLoggers();

        services.AddSingleton(static provider =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>().Value;
            var loggers = provider.GetRequiredService<ILoggerFactory>();
            var logger = loggers.CreateLogger("Manifold.Platforms");

            var plugins = PluginLoader.LoadFromDirectories(PluginFolders.Resolve(options, AppContext.BaseDirectory), logger);
            var services = new PlatformServices(
                provider.GetRequiredService<IHttpClientFactory>().CreateClient(UpstreamClientName),
                loggers,
                provider.GetRequiredService<TimeProvider>())
            {
                ClientUrls = provider.GetRequiredService<IHttpClientFactory>().CreateClient(ClientUrlsClientName),
            };
            return PlatformRegistry.Create(PlatformSettingsReader.ReadPlatforms(configuration), plugins, services, provider.GetRequiredService<HealthPolicy>(), logger);
        });
        return services;
    }
}
