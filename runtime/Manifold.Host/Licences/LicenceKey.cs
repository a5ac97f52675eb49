using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Manifold.Host.Licences;

/// <summary>
/// Licence (API) key generation and hashing.
/// </summary>
/// <remarks>
/// Keys are hashed with a single SHA-256, not a password KDF (PBKDF2, bcrypt, Argon2). Slow hashes exist to make
/// guessing low-entropy, human-chosen passwords expensive. A generated key carries 256 bits of randomness, so a
/// brute-force search of the key space is infeasible at any hash speed, and a leaked hash cannot be reversed.
/// A fast hash is also what lets every request be authenticated in microseconds. (An operator-chosen bootstrap
/// key is the exception, which is why a short one is warned about at startup.)
/// </remarks>
public static class LicenceKey
{
    /// <summary>Starts every generated key, so secret scanners and humans can recognise a leaked one.</summary>
    public const string GeneratedKeyPrefix = "mf-";

    /// <summary>Characters of a key shown for identification (e.g. <c>mf-AbCdE</c>).</summary>
    public const int DisplayPrefixLength = 8;

    /// <summary>Length of <see cref="Hash(ReadOnlySpan{char})"/>'s output: SHA-256 as lowercase hex.</summary>
    public const int HashLength = SHA256.HashSizeInBytes * 2;

    /// <summary>
    /// Longest key worth hashing. Generated keys are 46 characters; anything far longer is not a key of ours,
    /// and refusing it early keeps a hostile client from making us hash megabytes per request.
    /// </summary>
    public const int MaxLength = 256;

    private const int RandomBytes = 32;
    private const int StackLimitBytes = 1024;

    /// <summary>Creates a new key: <c>mf-</c> followed by 32 random bytes as unpadded base64url (46 characters).</summary>
    public static string Generate()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        Span<char> key = stackalloc char[GeneratedKeyPrefix.Length + Base64Url.GetEncodedLength(RandomBytes)];
        GeneratedKeyPrefix.CopyTo(key);
        Base64Url.EncodeToChars(random, key[GeneratedKeyPrefix.Length..]);
        CryptographicOperations.ZeroMemory(random);
        return new string(key);
    }

    /// <summary>SHA-256 of the key's UTF-8 bytes as lowercase hex: the only form a key is stored in.</summary>
    public static string Hash(ReadOnlySpan<char> key)
    {
        Span<char> hex = stackalloc char[HashLength];
        Hash(key, hex);
        return new string(hex);
    }

    /// <summary>Allocation-free <see cref="Hash(ReadOnlySpan{char})"/> into a caller buffer of <see cref="HashLength"/> chars.</summary>
    public static void Hash(ReadOnlySpan<char> key, Span<char> destination)
    {
        if (destination.Length < HashLength)
        {
            throw new ArgumentException($"Destination must hold {HashLength} characters.", nameof(destination));
        }

        var maxBytes = Encoding.UTF8.GetMaxByteCount(key.Length);
        // Keys of any sane length encode on the stack; only oversized input (never a valid key) touches the heap.
        var utf8 = maxBytes <= StackLimitBytes ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var written = Encoding.UTF8.GetBytes(key, utf8);

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..written], digest);
        // The UTF-8 copy is the plaintext key; do not leave it lying on the stack.
        CryptographicOperations.ZeroMemory(utf8[..written]);
        Convert.TryToHexStringLower(digest, destination, out _);
    }

    /// <summary>
    /// Compares two hashes in time independent of where they differ. Used wherever we compare a stored hash with a
    /// computed one ourselves, so the comparison cannot become a timing oracle.
    /// </summary>
    public static bool HashEquals(ReadOnlySpan<char> left, ReadOnlySpan<char> right) =>
        left.Length == right.Length &&
        CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(left),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(right));

    /// <summary>
    /// The part of a key that is safe to display and log: the first <see cref="DisplayPrefixLength"/> characters,
    /// but never more than a quarter of the key, so a short operator-chosen key is not mostly given away.
    /// </summary>
    public static string Prefix(ReadOnlySpan<char> key) =>
        new(key[..Math.Min(DisplayPrefixLength, key.Length / 4)]);
}
