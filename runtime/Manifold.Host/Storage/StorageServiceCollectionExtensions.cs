using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Storage;

/// <summary>Registers storage options and the database. Called by feature registrations (licences, ...) that need it.</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddManifoldStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(static provider => provider.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            // Code that still asks for SqliteDatabase by name would quietly keep its state apart from the other nodes'.
            ? throw new InvalidOperationException(
                "A service asked for SqliteDatabase while Manifold__Storage__Provider is postgres; it must take Storage.Database instead.")
            : ActivatorUtilities.CreateInstance<SqliteDatabase>(provider));
        services.TryAddSingleton<Database>(static provider => provider.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres
            ? ActivatorUtilities.CreateInstance<PostgresDatabase>(provider)
            : provider.GetRequiredService<SqliteDatabase>());
        return services;
    }
}
