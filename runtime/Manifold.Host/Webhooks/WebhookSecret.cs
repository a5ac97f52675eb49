using System.Security.Cryptography;
using System.Text;
using Manifold.Host.Storage;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Webhooks;

/// <summary>
/// The deployment's webhook signing key: <c>Manifold__Webhooks__Secret</c> when set, else a <c>whsec_</c> secret generated
/// once into the data folder (<see cref="FileName"/>, readable by the gateway's user only), so every node on that folder and
/// every restart signs alike. Read when first needed (the first delivery), never on a request.
/// </summary>
public sealed class WebhookSecret(IOptions<WebhookOptions> options, IConfiguration configuration, ILogger<WebhookSecret> logger)
{
    public const string Prefix = "whsec_";

    public const string FileName = "webhook-secret";

    private readonly Lazy<byte[]> _key = new(() => WebhookSignature.KeyOf(options.Value.Secret is { Length: > 0 } secret ? secret : Generated(configuration, logger)));

    public ReadOnlyMemory<byte> Key => _key.Value;

    private static string Generated(IConfiguration configuration, ILogger logger)
    {
        var path = Path.Combine(DataFolder.Resolve(configuration), FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var file = new StreamWriter(path, Encoding.ASCII, fileOptions);
                file.Write(Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                logger.LogInformation("Generated the webhook signing secret in {Path}; set Manifold__Webhooks__Secret to choose one", path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }
        // A file another process has just created may not hold its secret yet.
        for (var attempt = 0; ; attempt++)
        {
            var secret = File.ReadAllText(path).Trim();
            if (secret.Length > 0 || attempt == 20)
            {
                return secret.Length > 0 ? secret : throw new InvalidOperationException($"The webhook secret file {path} is empty; delete it or set Manifold__Webhooks__Secret.");
            }
            Thread.Sleep(50);
        }
    }
}
