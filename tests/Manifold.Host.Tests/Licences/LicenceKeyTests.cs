using Manifold.Host.Licences;

namespace Manifold.Host.Tests.Licences;

public sealed class LicenceKeyTests
{
    [Fact]
    public void Generate_IsMfPlus32RandomBytesAsUnpaddedBase64Url()
    {
        var key = LicenceKey.Generate();

        Assert.StartsWith("mf-", key);
        Assert.Equal(46, key.Length);
        Assert.Matches("^mf-[A-Za-z0-9_-]{43}$", key);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(key.AsSpan(3)).Length);
    }

    [Fact]
    public void Generate_DoesNotRepeat()
    {
        var keys = Enumerable.Range(0, 1000).Select(_ => LicenceKey.Generate()).ToHashSet();

        Assert.Equal(1000, keys.Count);
    }

    [Fact]
    public void Hash_IsSha256OfUtf8AsLowercaseHex()
    {
        // FIPS 180-2 test vector for "abc".
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", LicenceKey.Hash("abc"));
        // Non-ASCII goes through UTF-8: SHA-256 of the bytes C3 A9 ("é").
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("é"u8)),
            LicenceKey.Hash("é"));
    }

    [Fact]
    public void Hash_SpanOverload_MatchesAndHandlesOversizedInput()
    {
        var huge = new string('k', 10_000);
        Span<char> destination = stackalloc char[LicenceKey.HashLength];

        LicenceKey.Hash(huge, destination);

        Assert.Equal(LicenceKey.Hash(huge), destination.ToString());
    }

    [Fact]
    public void HashEquals_ComparesExactly()
    {
        var hash = LicenceKey.Hash("a");

        Assert.True(LicenceKey.HashEquals(hash, LicenceKey.Hash("a")));
        Assert.False(LicenceKey.HashEquals(hash, LicenceKey.Hash("b")));
        Assert.False(LicenceKey.HashEquals(hash, hash.AsSpan(..^1)));
    }

    [Fact]
    public void Prefix_IsTheFirstEightCharacters_ButNeverMostOfAShortKey()
    {
        Assert.Equal("mf-abcde", LicenceKey.Prefix("mf-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
        Assert.Equal("sk", LicenceKey.Prefix("sk-short"));
        Assert.Equal("", LicenceKey.Prefix("abc"));
    }
}
