namespace Manifold.Host.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>Registers what <see cref="LicenceMiddleware"/> needs besides the licences: the per-address limit on failed lookups.</summary>
    public static IServiceCollection AddManifoldAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.SectionName);
        services.AddOptions<AuthOptions>()
            .Bind(section)
            // A list or one separated string, as PluginsPath: the binder reads only one of the two forms.
            .Configure(options => options.TrustedProxies = ReadList(section.GetSection(nameof(AuthOptions.TrustedProxies))));
        services.AddSingleton<FailedLookupLimiter>();
        return services;
    }

    private static List<string> ReadList(IConfigurationSection section) =>
        section.Value is { Length: > 0 } single ? [single] : section.GetChildren().Select(static c => c.Value).OfType<string>().ToList();
}
