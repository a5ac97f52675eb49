using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Manifold.Host.Tests.Gateway;

namespace Manifold.Host.Tests.Media;

/// <summary><c>response_format: url</c>: the image is kept in Manifold's storage and linked by a signed, expiring URL.</summary>
public sealed class ImageLinkTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "manifold-image-links-" + Guid.NewGuid().ToString("N"));
    private readonly ManifoldFactory _manifold;

    public ImageLinkTests() => _manifold = new ManifoldFactory(new Dictionary<string, string?>
    {
        ["Manifold:Platforms:sandbox:Plugin"] = "sandbox",
        ["Manifold:Media:Path"] = Path.Combine(_root, "media"),
    });

    public void Dispose()
    {
        _manifold.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<JsonNode> GenerateAsync(string responseFormat)
    {
        using var client = _manifold.CreateAuthorizedClient();
        var response = await client.PostAsync("/v1/images/generations", new StringContent(
            $$"""{"model":"sandbox-image","prompt":"a lighthouse","n":2,"size":"256x256","response_format":"{{responseFormat}}"}""", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task A_url_answer_links_to_manifolds_copy_which_downloads_without_a_licence()
    {
        var answer = await GenerateAsync("url");
        var urls = answer["data"]!.AsArray().Select(static d => d!["url"]!.GetValue<string>()).ToList();

        Assert.Equal(2, urls.Count);
        Assert.All(answer["data"]!.AsArray(), static d => Assert.Null(d!["b64_json"]));
        using var anonymous = _manifold.CreateClient();
        foreach (var url in urls)
        {
            Assert.Matches("^http://localhost/v1/media/img_[0-9a-f]{32}/[01]\\.png\\?expires=\\d+&signature=[0-9a-f]{64}$", url);
            var image = await anonymous.GetAsync(url);
            var bytes = await image.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        }
    }

    [Fact]
    public async Task A_forged_tampered_or_expired_link_is_a_403()
    {
        var url = (await GenerateAsync("url"))["data"]![0]!["url"]!.GetValue<string>();
        using var anonymous = _manifold.CreateClient();
        var other = url.Replace("/0.png", "/1.png", StringComparison.Ordinal);
        var forged = url[..^8] + "00000000";
        var expired = System.Text.RegularExpressions.Regex.Replace(url, "expires=\\d+", "expires=1000");

        foreach (var link in new[] { other, forged, expired, url[..url.IndexOf('?')] })
        {
            var response = await anonymous.GetAsync(link);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("invalid_link", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Base64_answers_pass_through_and_keep_nothing()
    {
        var answer = await GenerateAsync("b64_json");

        Assert.All(answer["data"]!.AsArray(), static d => Assert.NotNull(d!["b64_json"]));
        Assert.False(Directory.Exists(Path.Combine(_root, "media")) && Directory.EnumerateDirectories(Path.Combine(_root, "media")).Any());
    }
}
