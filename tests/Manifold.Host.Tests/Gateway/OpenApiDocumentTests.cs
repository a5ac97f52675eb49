using System.Net;
using System.Text.Json.Nodes;

namespace Manifold.Host.Tests.Gateway;

/// <summary>The public OpenAPI document: built once and served from memory, the same for every Host header.</summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    private readonly ManifoldFactory _manifold = new(new Dictionary<string, string?>());

    public void Dispose() => _manifold.Dispose();

    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string host)
    {
        using var client = _manifold.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = host;
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_document_is_served_from_memory_and_names_no_server_from_the_request()
    {
        var (first, firstBody) = await GetAsync("gateway.example");
        var (second, secondBody) = await GetAsync("attacker.example");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(firstBody, secondBody);
        // The output cache answered the second request (it adds Age); nothing was built again.
        Assert.True(second.Headers.Age is not null, "the second answer came from the cache");
        Assert.DoesNotContain("attacker.example", secondBody, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway.example", firstBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_operations_document_their_form_files_and_binary_answers()
    {
        var (_, body) = await GetAsync("localhost");
        var paths = JsonNode.Parse(body)!["paths"]!;

        var create = paths["/v1/videos"]!["post"]!["requestBody"]!["content"]!;
        Assert.NotNull(create["application/json"]);
        Assert.Equal("binary", create["multipart/form-data"]!["schema"]!["properties"]!["input_reference"]!["format"]!.GetValue<string>());
        Assert.NotNull(paths["/v1/videos/{video_id}/content"]!["get"]!["responses"]!["200"]!["content"]!["application/octet-stream"]);
        Assert.NotNull(paths["/v1/videos/{video_id}"]!["delete"]);
    }
}
