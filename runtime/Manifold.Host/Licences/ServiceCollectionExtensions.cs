using Manifold.Host.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Manifold.Host.Licences;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers licence storage and authentication, plus a hosted service that migrates the database and applies
    /// <c>Manifold:BootstrapKey</c> before the server starts. Middleware calls <see cref="LicenceKeyReader"/> then
    /// <see cref="LicenceAuthenticator.AuthenticateAsync(string?, CancellationToken)"/>.
    /// </summary>
    public static IServiceCollection AddManifoldLicences(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddManifoldStorage(configuration);
        services.AddOptions<LicenceOptions>().Bind(configuration.GetSection(LicenceOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LicenceRevocationNotifier>();
        services.TryAddSingleton<ILicenceStore, SqliteLicenceStore>();
        services.TryAddSingleton<LicenceAuthenticator>();
        services.TryAddSingleton<LicenceLimiter>();
        services.TryAddSingleton<BootstrapKeyStartup>();
        services.AddHostedService<LicenceStartupService>();
        // Other nodes' licence changes (PostgreSQL's LISTEN/NOTIFY; nothing on SQLite).
        services.TryAddSingleton<PostgresListener>();
        services.AddHostedService<LicenceChangeListener>();
        services.AddHostedService(static provider => provider.GetRequiredService<PostgresListener>());
        return services;
    }
}
