using Manifold.Host.Licences;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Manifold.Host.Tests.Licences;

public sealed class LicenceKeyReaderTests
{
    [Theory]
    [InlineData("Bearer k-bearer", "k-bearer")]
    [InlineData("bearer k-lower", "k-lower")]
    [InlineData("BEARER k-upper", "k-upper")]
    [InlineData("Bearer   k-padded  ", "k-padded")]
    [InlineData("k-bare", "k-bare")]
    [InlineData("  k-bare-padded ", "k-bare-padded")]
    public void Authorization_Forms(string header, string expected)
    {
        Assert.Equal(expected, Read(authorization: header));
    }

    [Fact]
    public void XApiKey_IsRead() => Assert.Equal("k-x", Read(xApiKey: "k-x"));

    [Fact]
    public void XGoogApiKey_IsRead() => Assert.Equal("k-goog", Read(xGoogApiKey: "k-goog"));

    [Fact]
    public void QueryKey_IsRead() => Assert.Equal("k-query", Read(query: "?alt=sse&key=k-query"));

    [Fact]
    public void NoKeyAnywhere_IsNull()
    {
        Assert.Null(Read());
        Assert.Null(Read(query: "?alt=sse"));
    }

    [Fact]
    public void BearerAuthorization_BeatsEverythingElse() =>
        Assert.Equal("k-1", Read(authorization: "Bearer k-1", xApiKey: "k-2", xGoogApiKey: "k-3", query: "?key=k-4"));

    [Fact]
    public void BareAuthorization_BeatsTheApiKeyHeadersAndQuery() =>
        Assert.Equal("k-1", Read(authorization: "k-1", xApiKey: "k-2", xGoogApiKey: "k-3", query: "?key=k-4"));

    [Fact]
    public void XApiKey_BeatsXGoogApiKeyAndQuery() =>
        Assert.Equal("k-2", Read(xApiKey: "k-2", xGoogApiKey: "k-3", query: "?key=k-4"));

    [Fact]
    public void XGoogApiKey_BeatsQuery() =>
        Assert.Equal("k-3", Read(xGoogApiKey: "k-3", query: "?key=k-4"));

    [Theory]
    [InlineData("Basic dXNlcjpwYXNz")] // another scheme is not ours
    [InlineData("Bearer ")]            // scheme with no key
    [InlineData("   ")]                // blank
    public void UnusableAuthorization_FallsThroughToTheNextSource(string header) =>
        Assert.Equal("k-2", Read(authorization: header, xApiKey: "k-2"));

    [Fact]
    public void BlankHeaders_FallThroughToQuery() =>
        Assert.Equal("k-4", Read(xApiKey: " ", xGoogApiKey: "", query: "?key=k-4"));

    [Fact]
    public void RepeatedHeader_UsesOnlyTheFirstValue()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = new StringValues(["Bearer k-first", "Bearer k-second"]);

        Assert.Equal("k-first", LicenceKeyReader.Read(request));
    }

    [Fact]
    public void TryRead_SlicesTheHeaderWithoutCopying()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers.Authorization = "Bearer k-slice";

        Assert.True(LicenceKeyReader.TryRead(request, out var key));
        Assert.Equal("k-slice", key.ToString());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetString(key, out var text, out _, out _));
        Assert.Equal("Bearer k-slice", text);
    }

    private static string? Read(string? authorization = null, string? xApiKey = null, string? xGoogApiKey = null, string? query = null)
    {
        var request = new DefaultHttpContext().Request;
        if (authorization is not null)
        {
            request.Headers.Authorization = authorization;
        }

        if (xApiKey is not null)
        {
            request.Headers["X-Api-Key"] = xApiKey;
        }

        if (xGoogApiKey is not null)
        {
            request.Headers["X-Goog-Api-Key"] = xGoogApiKey;
        }

        if (query is not null)
        {
            request.QueryString = new QueryString(query);
        }

        return LicenceKeyReader.Read(request);
    }
}
