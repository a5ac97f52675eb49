using Manifold.Host.Gateway;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Accounts;

public static class AccountServiceCollectionExtensions
{
    /// <summary>
    /// Registers the account pool: its options (<c>Manifold:Accounts</c>), health rules, the encrypted store and the
    /// loader that keeps the pools in step with the database. Call after the licences (whose startup migrates the schema).
    /// </summary>
    public static IServiceCollection AddManifoldAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.SectionName));
        services.AddSingleton<AccountLog>();
        services.AddSingleton<AccountHealthBroadcast>();
        services.AddSingleton(static provider => new HealthPolicy(
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<GatewayOptions>>().Value,
            provider.GetRequiredService<IOptions<AccountOptions>>().Value,
            provider.GetRequiredService<AccountLog>())
        {
            Broadcast = provider.GetRequiredService<AccountHealthBroadcast>(),
        });
        services.AddSingleton<AccountKeyProtector>();
        services.AddSingleton<SqliteAccountStore>();
        services.AddSingleton<AccountPools>();
        services.AddHostedService<AccountPoolSync>();
        services.AddHostedService(static provider => provider.GetRequiredService<AccountHealthBroadcast>());
        return services;
    }
}
