using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Manifold.Host.Tests.Accounts;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Manifold.Host.Tests.Reliability.LastResort;

/// <summary>
/// An exception no endpoint handles becomes a non-empty 500 in the caller's protocol, with the request id, logged once. The
/// fault is real: the tables the endpoints read are dropped under the running gateway, so the store throws SqliteException
/// from deep inside the gateway, the admin API and the media endpoints alike, as a broken or foreign database would.
/// </summary>
public sealed class LastResortTests : IAsyncLifetime
{
    private const string AdminKey = "mf-admin-last-resort";
    private static readonly string NoSuchVideo = "video_" + new string('a', 32);

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"manifold-last-resort-{Guid.NewGuid():N}.db");
    private readonly LogRecorder _logs = new();
    private ManifoldFactory _factory = null!;
    private WebApplicationFactory<Program> _manifold = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _factory = new ManifoldFactory(new Dictionary<string, string?> { ["Manifold:Admin:Key"] = AdminKey }, _database);
        _manifold = _factory.WithWebHostBuilder(builder => builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(_logs)));
        _client = _manifold.CreateClient();
        // Started and migrated; then the fault: the tables are gone, as from a database someone else changed.
        using (var ok = await _client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        await using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        await connection.OpenAsync();
        await using var drop = connection.CreateCommand();
        drop.CommandText = "DROP TABLE media_tasks; DROP TABLE request_log;";
        await drop.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _manifold.DisposeAsync();
        await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    private async Task<(HttpResponseMessage Response, string Body)> GetAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Admin_api_answers_a_500_in_its_shape_with_the_request_id()
    {
        var (response, body) = await GetAsync("/admin/api/requests", AdminKey);

        var error = await GatewayAssert.OpenAIError(response, HttpStatusCode.InternalServerError, code: "internal_error");
        var requestId = response.Headers.GetValues("x-request-id").Single();
        Assert.Contains(requestId, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("SqliteException", body, StringComparison.Ordinal);
        // Logged once, here, with the exception; the key that authorized the request is nowhere in the log.
        var logged = _logs.Entries.Where(e => e.Contains(requestId, StringComparison.Ordinal) && e.Contains("Unhandled exception", StringComparison.Ordinal)).ToList();
        var entry = Assert.Single(logged);
        Assert.Contains("SqliteException", entry, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.Contains(AdminKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenAI_video_endpoint_answers_a_500_in_openais_shape()
    {
        var (response, _) = await GetAsync($"/v1/videos/{NoSuchVideo}", ManifoldFactory.LicenceKey);

        await GatewayAssert.OpenAIError(response, HttpStatusCode.InternalServerError, code: "internal_error");
    }

    [Fact]
    public async Task V2_task_endpoint_answers_a_500_in_openais_shape()
    {
        var (response, _) = await GetAsync($"/v2/videos/generations/{NoSuchVideo}", ManifoldFactory.LicenceKey);

        await GatewayAssert.OpenAIError(response, HttpStatusCode.InternalServerError, code: "internal_error");
    }

    [Fact]
    public async Task Gemini_operation_endpoint_answers_a_500_in_googles_shape()
    {
        var (response, _) = await GetAsync($"/v1beta/models/veo-3.1-generate-preview/operations/{NoSuchVideo.Replace("_", "", StringComparison.Ordinal)}", ManifoldFactory.LicenceKey);

        var error = await GatewayAssert.GeminiError(response, HttpStatusCode.InternalServerError, "INTERNAL");
        Assert.Contains("request id", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_500_is_never_empty_and_is_json()
    {
        var (response, body) = await GetAsync($"/sandbox/v1/videos/{NoSuchVideo}", ManifoldFactory.LicenceKey);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(body).RootElement.ValueKind);
    }
}
