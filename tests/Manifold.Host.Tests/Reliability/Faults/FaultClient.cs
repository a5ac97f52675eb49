using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Manifold.Host.Tests.Gateway;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Manifold.Host.Tests.Reliability.Faults;

/// <summary>The protocols clients speak to Manifold.</summary>
public enum ClientProtocol
{
    Chat,
    Responses,
    Messages,
    Gemini,
}

/// <summary>One answer as the client got it: status, every header, the body's bytes, and its events when it streamed.</summary>
public sealed record FaultAnswer(HttpStatusCode Status, string ContentType, IReadOnlyList<string> Headers, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public bool IsStream => ContentType.StartsWith("text/event-stream", StringComparison.Ordinal);

    public override string ToString() => $"{(int)Status} {ContentType}: {(Text.Length > 2000 ? Text[..2000] + "…" : Text)}";

    /// <summary>The server-sent events (name, data), CRLF or LF framed.</summary>
    public List<(string? Name, string Data)> Events()
    {
        var events = new List<(string?, string)>();
        foreach (var block in Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new List<string>();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    name = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    data.Add(line["data:".Length..].TrimStart());
                }
            }
            if (data.Count > 0)
            {
                events.Add((name, string.Join("\n", data)));
            }
        }
        return events;
    }
}

/// <summary>Asks Manifold as each protocol's client does, and checks answers against each protocol's documented shapes.</summary>
public static class FaultClient
{
    /// <summary>A generous deadline: every fault must end well within it (timeouts are a few seconds), never hang.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<FaultAnswer> AskAsync(WebApplicationFactory<Program> manifold, ClientProtocol protocol, string family, Fault fault, bool stream)
    {
        var model = FaultUpstream.Model(family, fault);
        using var client = manifold.CreateClient();
        client.Timeout = Timeout.InfiniteTimeSpan;
        var (path, body) = protocol switch
        {
            ClientProtocol.Chat => ("/v1/chat/completions", $$"""{"model":"{{model}}","stream":{{Bool(stream)}},"messages":[{"role":"user","content":"Hi"}]}"""),
            ClientProtocol.Responses => ("/v1/responses", $$"""{"model":"{{model}}","stream":{{Bool(stream)}},"input":"Hi"}"""),
            ClientProtocol.Messages => ("/v1/messages", $$"""{"model":"{{model}}","max_tokens":32,"stream":{{Bool(stream)}},"messages":[{"role":"user","content":"Hi"}]}"""),
            _ => ($"/v1beta/models/{model}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent"), """{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"""),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        switch (protocol)
        {
            case ClientProtocol.Messages:
                request.Headers.Add("x-api-key", ManifoldFactory.LicenceKey);
                request.Headers.Add("anthropic-version", "2023-06-01");
                break;
            case ClientProtocol.Gemini:
                request.Headers.Add("x-goog-api-key", ManifoldFactory.LicenceKey);
                break;
            default:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ManifoldFactory.LicenceKey);
                break;
        }
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            var headers = response.Headers.Concat(response.Content.Headers).Select(static h => $"{h.Key}: {string.Join(", ", h.Value)}").ToList();
            return new FaultAnswer(response.StatusCode, response.Content.Headers.ContentType?.ToString() ?? "", headers, bytes);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            Assert.Fail($"{protocol} → {family} ({fault}, stream: {stream}) did not finish within {Deadline.TotalSeconds} s.");
            throw;
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>No account key anywhere the client can see: the body's bytes (also as JSON escapes decode them) and every header.</summary>
    public static void AssertNoKey(FaultAnswer answer, IEnumerable<string>? log = null)
    {
        // A key written with JSON's \u escapes is still a key.
        var decoded = Regex.Replace(answer.Text, @"\\u([0-9a-fA-F]{4})", static m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        foreach (var key in FaultUpstream.AllKeys)
        {
            Assert.False(answer.Text.Contains(key, StringComparison.Ordinal), $"The body holds {key}: {answer}");
            Assert.False(decoded.Contains(key, StringComparison.Ordinal), $"The body holds {key} (JSON-escaped): {answer}");
            Assert.DoesNotContain(answer.Headers, h => h.Contains(key, StringComparison.Ordinal));
            if (log is not null)
            {
                Assert.DoesNotContain(log, l => l.Contains(key, StringComparison.Ordinal));
            }
        }
    }

    /// <summary>
    /// The answer is an error in <paramref name="protocol"/>'s shape: an error status with the protocol's error body, or,
    /// when a stream had started, a 200 whose last event is the protocol's error event and which holds no mark of a
    /// complete answer. Returns the error's message.
    /// </summary>
    public static string AssertError(FaultAnswer answer, ClientProtocol protocol)
    {
        if (answer.Status != HttpStatusCode.OK)
        {
            Assert.True((int)answer.Status is >= 400 and < 600, answer.ToString());
            Assert.StartsWith("application/json", answer.ContentType);
            return ErrorBody(JsonDocument.Parse(answer.Text).RootElement, protocol, (int)answer.Status, answer);
        }
        Assert.True(answer.IsStream, $"A 200 that is not a stream is not an error: {answer}");
        var events = answer.Events();
        Assert.NotEmpty(events);
        var (name, data) = events[^1];
        var last = JsonDocument.Parse(data).RootElement;
        switch (protocol)
        {
            case ClientProtocol.Chat:
                Assert.DoesNotContain(events, static e => e.Data == "[DONE]");
                Assert.Null(name);
                return OpenAIError(last.GetProperty("error"), answer);
            case ClientProtocol.Responses:
                Assert.DoesNotContain(events, static e => e.Name is "response.completed" or "response.incomplete");
                if (name == "response.failed")
                {
                    Assert.Equal("failed", last.GetProperty("response").GetProperty("status").GetString());
                    return last.GetProperty("response").GetProperty("error").GetProperty("message").GetString()!;
                }
                // OpenAI's streaming spec: {"type":"error","code","message","param","sequence_number"}.
                Assert.Equal("error", name);
                Assert.Equal("error", last.GetProperty("type").GetString());
                Assert.Equal(JsonValueKind.Number, last.GetProperty("sequence_number").ValueKind);
                Assert.True(last.TryGetProperty("code", out _), answer.ToString());
                Assert.True(last.TryGetProperty("param", out _), answer.ToString());
                return NonEmpty(last.GetProperty("message"), answer);
            case ClientProtocol.Messages:
                Assert.DoesNotContain(events, static e => e.Name == "message_stop");
                Assert.Equal("error", name);
                return AnthropicError(last, answer);
            default:
                Assert.Null(name);
                return GeminiError(last.GetProperty("error"), null, answer);
        }
    }

    /// <summary>A complete, successful answer in <paramref name="protocol"/>'s shape.</summary>
    public static void AssertSuccess(FaultAnswer answer, ClientProtocol protocol, bool stream)
    {
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        if (!stream)
        {
            var root = JsonDocument.Parse(answer.Text).RootElement;
            Assert.True(!root.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null, answer.ToString());
            switch (protocol)
            {
                case ClientProtocol.Chat:
                    Assert.Equal("Hello", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
                    break;
                case ClientProtocol.Responses:
                    Assert.Equal("completed", root.GetProperty("status").GetString());
                    break;
                case ClientProtocol.Messages:
                    Assert.Equal("Hello", root.GetProperty("content")[0].GetProperty("text").GetString());
                    break;
                default:
                    Assert.Equal("Hello", root.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
                    break;
            }
            return;
        }
        Assert.True(answer.IsStream, answer.ToString());
        var events = answer.Events();
        Assert.DoesNotContain(events, static e => e.Name == "error" || e.Data.Contains("\"error\":{", StringComparison.Ordinal));
        switch (protocol)
        {
            case ClientProtocol.Chat:
                Assert.Equal("[DONE]", events[^1].Data);
                Assert.Contains(events, static e => e.Data.Contains("\"finish_reason\":\"stop\"", StringComparison.Ordinal));
                break;
            case ClientProtocol.Responses:
                Assert.Equal("response.completed", events[^1].Name);
                break;
            case ClientProtocol.Messages:
                Assert.Equal("message_stop", events[^1].Name);
                break;
            default:
                Assert.Contains("\"finishReason\"", events[^1].Data, StringComparison.Ordinal);
                break;
        }
    }

    private static string ErrorBody(JsonElement root, ClientProtocol protocol, int status, FaultAnswer answer) => protocol switch
    {
        ClientProtocol.Messages => AnthropicError(root, answer),
        ClientProtocol.Gemini => GeminiError(root.GetProperty("error"), status, answer),
        _ => OpenAIError(root.GetProperty("error"), answer),
    };

    /// <summary>OpenAI's <c>{"error":{"message","type","param","code"}}</c>.</summary>
    private static string OpenAIError(JsonElement error, FaultAnswer answer)
    {
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _), answer.ToString());
        Assert.True(error.TryGetProperty("code", out _), answer.ToString());
        return NonEmpty(error.GetProperty("message"), answer);
    }

    /// <summary>Anthropic's <c>{"type":"error","error":{"type","message"}}</c>.</summary>
    private static string AnthropicError(JsonElement root, FaultAnswer answer)
    {
        Assert.Equal("error", root.GetProperty("type").GetString());
        var error = root.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()), answer.ToString());
        return NonEmpty(error.GetProperty("message"), answer);
    }

    /// <summary>Google's <c>{"error":{"code","message","status"}}</c>.</summary>
    private static string GeminiError(JsonElement error, int? status, FaultAnswer answer)
    {
        var code = error.GetProperty("code").GetInt32();
        Assert.InRange(code, 400, 599);
        if (status is { } expected)
        {
            Assert.Equal(expected, code);
        }
        Assert.False(string.IsNullOrEmpty(error.GetProperty("status").GetString()), answer.ToString());
        return NonEmpty(error.GetProperty("message"), answer);
    }

    private static string NonEmpty(JsonElement message, FaultAnswer answer)
    {
        var text = message.GetString();
        Assert.False(string.IsNullOrWhiteSpace(text), answer.ToString());
        return text!;
    }
}
