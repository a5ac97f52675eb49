using Microsoft.Extensions.Options;

namespace Manifold.Host.Licences;

/// <summary>Makes <c>Manifold:BootstrapKey</c>, when set, a working licence. Logs its prefix, never the key.</summary>
public sealed partial class BootstrapKeyStartup
{
    /// <summary>Below this a key is guessable enough to warn about (a generated key is 46 characters).</summary>
    public const int RecommendedMinimumLength = 32;

    private readonly ILicenceStore _store;
    private readonly IOptions<LicenceOptions> _options;
    private readonly ILogger<BootstrapKeyStartup> _logger;
    private readonly IConfiguration? _configuration;

    public BootstrapKeyStartup(ILicenceStore store, IOptions<LicenceOptions> options, ILogger<BootstrapKeyStartup> logger, IConfiguration? configuration = null)
    {
        _store = store;
        _options = options;
        _logger = logger;
        _configuration = configuration;
    }

    /// <summary>Returns the bootstrap licence, or null when no bootstrap key is configured.</summary>
    public async Task<Licence?> RunAsync(CancellationToken cancellationToken = default)
    {
        // Trimmed because the key reader trims what clients send: a stray newline from a secret file would
        // otherwise make the configured key impossible to present.
        var key = _options.Value.BootstrapKey?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            // No key configured: a bootstrap licence left from an earlier configuration ends, as the startup warning
            // promised ("remove Manifold__BootstrapKey when done"); a forgotten trial key must not live on.
            var licences = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var leftover in licences.Where(static l => !l.IsRevoked && l.Name == ILicenceStore.BootstrapName))
            {
                await _store.RevokeAsync(leftover.Id, cancellationToken).ConfigureAwait(false);
                LogBootstrapRemoved(leftover.Id, leftover.KeyPrefix);
            }
            // A fresh install with no way in says so once, with the way in; one with licences or an admin key is already usable.
            if (string.IsNullOrWhiteSpace(_configuration?["Manifold:Admin:Key"])
                && !licences.Any(static l => !l.IsRevoked && l.Name != ILicenceStore.BootstrapName))
            {
                LogNoWayIn();
            }
            return null;
        }

        // Fail startup on a key that could never authenticate, rather than leaving the operator locked out.
        if (key.Length > LicenceKey.MaxLength)
        {
            throw new InvalidOperationException($"{LicenceOptions.SectionName}:BootstrapKey is longer than {LicenceKey.MaxLength} characters.");
        }

        if (key.AsSpan().ContainsAny(" \t\r\n"))
        {
            throw new InvalidOperationException($"{LicenceOptions.SectionName}:BootstrapKey must not contain whitespace.");
        }

        if (key.Length < RecommendedMinimumLength)
        {
            LogShortKey(key.Length, RecommendedMinimumLength);
        }

        var licence = await _store.EnsureBootstrapKeyAsync(key, cancellationToken).ConfigureAwait(false);
        LogActive(licence.Id, licence.KeyPrefix);
        return licence;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "A bootstrap licence is active (licence {LicenceId}, key prefix {KeyPrefix}). Create named licences with POST /admin/api/licences (set Manifold__Admin__Key) and remove Manifold__BootstrapKey when done.")]
    private partial void LogActive(long licenceId, string keyPrefix);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "No way in yet: set Manifold__Admin__Key to create licences at /admin/api/licences, or Manifold__BootstrapKey for one licence to call the gateway with.")]
    private partial void LogNoWayIn();

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Revoked the bootstrap licence {LicenceId} (key prefix {KeyPrefix}): Manifold__BootstrapKey is no longer configured")]
    private partial void LogBootstrapRemoved(long licenceId, string keyPrefix);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Manifold:BootstrapKey is only {Length} characters; use at least {Recommended} random characters.")]
    private partial void LogShortKey(int length, int recommended);
}
