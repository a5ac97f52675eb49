using Manifold.Host.Metering.Prices;
using Manifold.Host.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Metering;

public static class UsageServiceCollectionExtensions
{
    /// <summary>
    /// Registers metering (the queue, the licences' running totals, the batch writer, prices) and the webhooks. Call after
    /// <c>AddManifoldGateway</c>: its startup migrates the database that metering's startup reads.
    /// </summary>
    public static IServiceCollection AddManifoldUsage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UsageOptions>().Bind(configuration.GetSection(UsageOptions.SectionName));
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UsageLedger>();
        services.AddSingleton<UsageQueue>();
        services.AddSingleton<UsageStore>();
        services.AddSingleton<UsageQueries>();
        services.AddSingleton<PriceTable>();
        services.AddSingleton<PriceStore>();
        services.AddSingleton<QuotaAlerts>();
        services.AddHttpClient(WebhookSender.ClientName).RemoveAllLoggers();
        services.AddSingleton<WebhookSender>();
        services.AddHostedService(static provider => provider.GetRequiredService<WebhookSender>());
        services.AddHostedService<UsageStartup>();
        services.AddSingleton<UsageWriter>();
        services.AddHostedService(static provider => provider.GetRequiredService<UsageWriter>());
        return services;
    }
}
