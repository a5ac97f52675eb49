using Microsoft.Extensions.Options;

namespace Manifold.Host.Webhooks;

/// <summary>A webhook URL that cannot be called, or a threshold outside 0–1, stops startup with the setting's name.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        if (options.Enabled
            && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            return ValidateOptionsResult.Fail("Manifold__Webhooks__Url must be an absolute http or https URL.");
        }
        if (options.QuotaThreshold is < 0 or > 1 || double.IsNaN(options.QuotaThreshold))
        {
            return ValidateOptionsResult.Fail($"Manifold__Webhooks__QuotaThreshold must be between 0 and 1 (0.1 is 10 % left), not {options.QuotaThreshold}.");
        }
        if (options.Timeout <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Manifold__Webhooks__Timeout must be positive.");
        }
        try
        {
            if (options.Retries.Any(static r => r < TimeSpan.Zero))
            {
                return ValidateOptionsResult.Fail("Manifold__Webhooks__RetrySchedule must not hold a negative wait.");
            }
        }
        catch (FormatException)
        {
            return ValidateOptionsResult.Fail($"Manifold__Webhooks__RetrySchedule must be waits as hh:mm:ss separated by commas, not '{options.RetrySchedule}'.");
        }
        return ValidateOptionsResult.Success;
    }
}
