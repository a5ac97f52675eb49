using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Manifold.Host.Tests.Fakes;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Reliability.BadInput;

/// <summary>
/// One gateway for the whole corpus: the sandbox, and OpenAI, Anthropic and Gemini platforms on one loopback fake that
/// counts what reaches it. Every corpus request is hostile, so any request the fake sees is one Manifold let through.
/// </summary>
public sealed class BadInputGateway : IAsyncLifetime
{
    public const string AdminKey = "mf-admin-corpus-key";

    private int _upstreamHits;
    private LoopbackUpstream _upstream = null!;
    private ManifoldFactory _manifold = null!;

    public HttpClient Client { get; private set; } = null!;

    public int UpstreamHits => Volatile.Read(ref _upstreamHits);

    public string LastUpstreamRequest { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _upstream = await LoopbackUpstream.StartAsync(app => app.Map("/{**path}", (HttpContext http) =>
        {
            Interlocked.Increment(ref _upstreamHits);
            LastUpstreamRequest = $"{http.Request.Method} {http.Request.Path}";
            return Results.Json(new { error = new { message = "the corpus fake should never be called", type = "server_error" } }, statusCode: 500);
        }));
        _manifold = ManifoldFactory.WithEveryTextPlatform(_upstream.Root, new Dictionary<string, string?>
        {
            ["Manifold:Gateway:Limits:MaxRequestBytes"] = BadInputCorpus.MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Manifold:Gateway:MaxUploadBytes"] = BadInputCorpus.MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Manifold:Admin:Key"] = AdminKey,
        });
        Client = _manifold.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _manifold.DisposeAsync();
        await _upstream.DisposeAsync();
    }
}

/// <summary>
/// The bad-input corpus (<see cref="BadInputCorpus"/>): each case is answered by Manifold, never an upstream, with its 4xx in
/// the caller's protocol shape, a non-empty body naming the field, within a generous deadline (nothing hangs).
/// </summary>
public sealed class BadInputCorpusTests(BadInputGateway gateway) : IClassFixture<BadInputGateway>
{
    /// <summary>Far beyond any answer to a bad request, even on a loaded machine: this catches hangs, not slowness.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Cases => new(BadInputCorpus.All.Select(static c => c.Name));

    [Fact]
    public void The_corpus_has_at_least_300_cases_with_unique_names()
    {
        Assert.True(BadInputCorpus.All.Count >= 300, $"The corpus has {BadInputCorpus.All.Count} cases.");
        Assert.Equal(BadInputCorpus.All.Count, BadInputCorpus.All.Select(static c => c.Name).Distinct(StringComparer.Ordinal).Count());
        // Every inbound protocol, and every kind of platform behind it, is tried.
        Assert.All(Enum.GetValues<ErrorShape>(), shape => Assert.Contains(BadInputCorpus.All, c => c.Shape == shape));
        Assert.All(BadInputCorpus.Models, model => Assert.True(BadInputCorpus.All.Count(c => c.Name.Contains(model, StringComparison.Ordinal)) >= 100));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Is_refused_by_Manifold_in_the_callers_shape(string name)
    {
        var @case = BadInputCorpus.Get(name);
        var hitsBefore = gateway.UpstreamHits;
        using var request = new HttpRequestMessage(new HttpMethod(@case.Method), @case.Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", @case.Admin ? BadInputGateway.AdminKey : ManifoldFactory.LicenceKey);
        if (@case.Body is not null)
        {
            request.Content = new ByteArrayContent(@case.Body);
            request.Content.Headers.ContentType = null;
            if (@case.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", @case.ContentType);
            }
        }

        using var deadline = new CancellationTokenSource(Deadline);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await gateway.Client.SendAsync(request, deadline.Token);
            text = await response.Content.ReadAsStringAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"No answer within {Deadline.TotalSeconds} s: the request hung.");
            return;
        }

        using (response)
        {
            Assert.True(@case.Status == response.StatusCode, $"Expected {(int)@case.Status}, got {(int)response.StatusCode}: {text}");
            Assert.False(string.IsNullOrWhiteSpace(text), "The error body is empty.");
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
            AssertShape(@case, (int)response.StatusCode, JsonDocument.Parse(text).RootElement, text);
            if (@case.Status == HttpStatusCode.MethodNotAllowed)
            {
                Assert.NotEmpty(response.Content.Headers.Allow);
            }
        }
        Assert.True(hitsBefore == gateway.UpstreamHits, $"The upstream was called ({gateway.LastUpstreamRequest}): the 4xx must come from Manifold.");
    }

    private static void AssertShape(BadInputCase @case, int status, JsonElement root, string text)
    {
        string message;
        switch (@case.Shape)
        {
            case ErrorShape.OpenAI:
            {
                var error = root.GetProperty("error");
                message = error.GetProperty("message").GetString()!;
                Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
                Assert.True(error.TryGetProperty("param", out var param), text);
                Assert.True(error.TryGetProperty("code", out _), text);
                if (@case.Field is not null && param.ValueKind == JsonValueKind.String)
                {
                    Assert.True(param.GetString() == @case.Field || param.GetString()!.StartsWith(@case.Field, StringComparison.Ordinal),
                        $"Expected param '{@case.Field}': {text}");
                    return;
                }
                break;
            }
            case ErrorShape.Anthropic:
            {
                Assert.Equal("error", root.GetProperty("type").GetString());
                var error = root.GetProperty("error");
                Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
                message = error.GetProperty("message").GetString()!;
                break;
            }
            default:
            {
                var error = root.GetProperty("error");
                Assert.Equal(status, error.GetProperty("code").GetInt32());
                Assert.Equal(JsonValueKind.String, error.GetProperty("status").ValueKind);
                message = error.GetProperty("message").GetString()!;
                Assert.Equal(3, error.EnumerateObject().Count());
                break;
            }
        }
        Assert.False(string.IsNullOrWhiteSpace(message), text);
        if (@case.Field is not null)
        {
            Assert.True(message.Contains(@case.Field, StringComparison.Ordinal), $"Expected the message to name '{@case.Field}': {text}");
        }
    }
}
