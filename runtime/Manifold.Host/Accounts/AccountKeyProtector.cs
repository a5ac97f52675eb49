using System.Security.Cryptography;
using System.Text;
using Manifold.Host.Storage;
using Microsoft.Extensions.Options;

namespace Manifold.Host.Accounts;

/// <summary>
/// Encrypts the upstream keys of accounts added through the admin API before they reach the database, so a copy of the
/// database (a backup, a dump, a file shared for debugging) does not hand out the operator's vendor keys. AES-256-GCM under
/// a key derived (HKDF-SHA256) from <c>Manifold__Accounts__EncryptionKey</c>, or, when that is not set, from a random secret
/// generated once into the data folder. Each ciphertext is bound to its platform and account id, so it cannot be moved to
/// another row, and names the key it was made with, so a node with another key says so instead of failing obscurely.
/// </summary>
/// <remarks>
/// Not derived from <c>Manifold__Admin__Key</c>: that is a credential an operator must be free to rotate the moment it
/// leaks, and rotating it would then make every stored account unreadable.
/// </remarks>
public sealed class AccountKeyProtector
{
    public const string KeyFileName = "account-encryption.key";

    private const string Version = "v1";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private static readonly byte[] Salt = "manifold accounts"u8.ToArray();
    private static readonly byte[] Info = "upstream keys v1"u8.ToArray();

    private readonly Lazy<(byte[] Key, string Id)> _key;

    public AccountKeyProtector(IOptions<AccountOptions> options, IConfiguration configuration, AccountLog log)
    {
        var configured = options.Value.EncryptionKey;
        _key = new Lazy<(byte[], string)>(() => Derive(configured is { Length: > 0 } ? configured : GeneratedSecret(configuration, log)));
    }

    /// <summary>A protector for <paramref name="secret"/> alone (tests, tools).</summary>
    internal AccountKeyProtector(string secret) => _key = new Lazy<(byte[], string)>(() => Derive(secret));

    /// <summary>The id of this node's key (8 hex digits of a hash of it): equal ids, equal keys.</summary>
    public string KeyId => _key.Value.Id;

    /// <summary><c>v1.&lt;key id&gt;.&lt;base64 of nonce, ciphertext and tag&gt;</c>.</summary>
    public string Protect(string platform, string accountId, string key)
    {
        var (secret, id) = _key.Value;
        var plain = Encoding.UTF8.GetBytes(key);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(secret, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Bound(platform, accountId));
        CryptographicOperations.ZeroMemory(plain);
        return $"{Version}.{id}.{Convert.ToBase64String(sealedBytes)}";
    }

    /// <summary>The key <paramref name="stored"/> holds; false, with the reason (never the key), when this node cannot read it.</summary>
    public bool TryUnprotect(string platform, string accountId, string stored, out string key, out string reason)
    {
        key = "";
        var parts = stored.Split('.');
        if (parts.Length != 3 || parts[0] != Version)
        {
            reason = "not in a form this version of Manifold reads";
            return false;
        }
        var (secret, id) = _key.Value;
        if (parts[1] != id)
        {
            reason = $"encrypted with key {parts[1]}, and this node's key is {id}";
            return false;
        }
        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            reason = "damaged";
            return false;
        }
        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            reason = "damaged";
            return false;
        }
        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(secret, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain, Bound(platform, accountId));
        }
        catch (AuthenticationTagMismatchException)
        {
            reason = "damaged, or moved from another account";
            return false;
        }
        key = Encoding.UTF8.GetString(plain);
        CryptographicOperations.ZeroMemory(plain);
        reason = "";
        return true;
    }

    private static byte[] Bound(string platform, string accountId) => Encoding.UTF8.GetBytes(platform + "/" + accountId);

    private static (byte[], string) Derive(string secret)
    {
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, Salt, Info);
        return (key, Convert.ToHexStringLower(SHA256.HashData(key).AsSpan(0, 4)));
    }

    /// <summary>
    /// The data folder's generated secret, made on first use. CreateNew, so two nodes starting together on one folder end up
    /// with the one that won; readable by the owner alone.
    /// </summary>
    private static string GeneratedSecret(IConfiguration configuration, AccountLog log)
    {
        var path = Path.Combine(DataFolder.Resolve(configuration), KeyFileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }
                using var file = new StreamWriter(path, Encoding.ASCII, options);
                file.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
                log.GeneratedEncryptionKey(path);
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
                return secret.Length > 0 ? secret : throw new InvalidOperationException($"The account encryption key file {path} is empty; delete it or set Manifold__Accounts__EncryptionKey.");
            }
            Thread.Sleep(50);
        }
    }
}
