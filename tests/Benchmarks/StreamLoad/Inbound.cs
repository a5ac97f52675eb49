using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>
/// A client protocol the gateway serves: how to ask it for a stream, and how to read one back. Reading collects
/// the answer's text and notes the protocol's own final event, so a stream counts as complete only when it
/// carried the whole text and ended the way its protocol ends.
/// </summary>
internal abstract class Inbound
{
    public static readonly string[] Names = ["chat", "responses", "messages", "gemini"];

    public static Inbound Of(string name) => name switch
    {
        "chat" => new ChatInbound(),
        "responses" => new ResponsesInbound(),
        "messages" => new MessagesInbound(),
        "gemini" => new GeminiInbound(),
        _ => throw new ArgumentException($"unknown inbound protocol '{name}' (chat, responses, messages, gemini)"),
    };

    /// <summary>A model each upstream platform serves (any name reaches a named platform; these look like real ones).</summary>
    public static string ModelFor(string platform) => platform switch
    {
        "openai" => "gpt-4o-mini",
        "claude" => "claude-sonnet-4-5",
        "gemini" => "gemini-2.5-flash",
        _ => platform + "-model",
    };

    public abstract string Name { get; }

    public abstract HttpRequestMessage Request(string gateway, string platform, string model, string key, bool stream);

    /// <summary>Reads one event; returns false when it is the protocol's error event.</summary>
    public abstract bool Read(string? eventName, string data, StreamResult into);

    /// <summary>The answer's text from a non-streaming JSON answer, or null when it is not a well-formed answer.</summary>
    public abstract string? AnswerText(JsonElement answer);

    protected static HttpContent Json(object body) =>
        new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    protected const string Prompt = "Tell me a long story about a lighthouse keeper.";

    protected static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    protected static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    protected static JsonElement First(JsonElement e, string name) =>
        Obj(e, name) is { ValueKind: JsonValueKind.Array } a && a.GetArrayLength() > 0 ? a[0] : default;
}

/// <summary>What one stream delivered.</summary>
internal sealed class StreamResult
{
    public readonly StringBuilder Text = new();
    public bool Finished;
    public bool Error;
    public bool Leaked;
    public string? ErrorText;
    public long Bytes;
    public int Events;
}

internal sealed class ChatInbound : Inbound
{
    public override string Name => "chat";

    public override HttpRequestMessage Request(string gateway, string platform, string model, string key, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{gateway}/{platform}/v1/chat/completions")
        {
            Content = Json(new { model, stream, max_tokens = 1024, messages = new[] { new { role = "user", content = Prompt } } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    public override bool Read(string? eventName, string data, StreamResult into)
    {
        if (data == "[DONE]")
        {
            return true;
        }
        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            into.ErrorText = error.ToString();
            return false;
        }
        var choice = First(root, "choices");
        if (Str(Obj(choice, "delta"), "content") is { } text)
        {
            into.Text.Append(text);
        }
        if (Str(choice, "finish_reason") is not null)
        {
            into.Finished = true;
        }
        return true;
    }

    public override string? AnswerText(JsonElement answer) =>
        Str(answer, "object") == "chat.completion" ? Str(Obj(First(answer, "choices"), "message"), "content") : null;
}

internal sealed class ResponsesInbound : Inbound
{
    public override string Name => "responses";

    public override HttpRequestMessage Request(string gateway, string platform, string model, string key, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{gateway}/{platform}/v1/responses")
        {
            Content = Json(new { model, stream, max_output_tokens = 1024, input = Prompt }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    public override bool Read(string? eventName, string data, StreamResult into)
    {
        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        switch (Str(root, "type"))
        {
            case "response.output_text.delta":
                into.Text.Append(Str(root, "delta"));
                break;
            case "response.completed":
                into.Finished = true;
                break;
            case "error" or "response.failed" or "response.incomplete":
                into.ErrorText = data;
                return false;
        }
        return true;
    }

    public override string? AnswerText(JsonElement answer)
    {
        if (Str(answer, "object") != "response" || Obj(answer, "output") is not { ValueKind: JsonValueKind.Array } output)
        {
            return null;
        }
        var text = new StringBuilder();
        foreach (var item in output.EnumerateArray())
        {
            if (Obj(item, "content") is { ValueKind: JsonValueKind.Array } content)
            {
                foreach (var part in content.EnumerateArray())
                {
                    text.Append(Str(part, "text"));
                }
            }
        }
        return text.ToString();
    }
}

internal sealed class MessagesInbound : Inbound
{
    public override string Name => "messages";

    public override HttpRequestMessage Request(string gateway, string platform, string model, string key, bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{gateway}/{platform}/v1/messages")
        {
            Content = Json(new { model, stream, max_tokens = 1024, messages = new[] { new { role = "user", content = Prompt } } }),
        };
        request.Headers.Add("x-api-key", key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        return request;
    }

    public override bool Read(string? eventName, string data, StreamResult into)
    {
        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        switch (Str(root, "type"))
        {
            case "content_block_delta":
                into.Text.Append(Str(Obj(root, "delta"), "text"));
                break;
            case "message_stop":
                into.Finished = true;
                break;
            case "error":
                into.ErrorText = data;
                return false;
        }
        return true;
    }

    public override string? AnswerText(JsonElement answer)
    {
        if (Str(answer, "type") != "message" || Obj(answer, "content") is not { ValueKind: JsonValueKind.Array } content)
        {
            return null;
        }
        return string.Concat(content.EnumerateArray().Select(b => Str(b, "text")));
    }
}

internal sealed class GeminiInbound : Inbound
{
    public override string Name => "gemini";

    public override HttpRequestMessage Request(string gateway, string platform, string model, string key, bool stream)
    {
        var method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
        var request = new HttpRequestMessage(HttpMethod.Post, $"{gateway}/{platform}/v1beta/models/{model}:{method}")
        {
            Content = Json(new
            {
                contents = new[] { new { role = "user", parts = new[] { new { text = Prompt } } } },
                generationConfig = new { maxOutputTokens = 1024 },
            }),
        };
        request.Headers.Add("x-goog-api-key", key);
        return request;
    }

    public override bool Read(string? eventName, string data, StreamResult into)
    {
        using var doc = JsonDocument.Parse(data);
        var root = doc.RootElement;
        if (root.TryGetProperty("error", out var error))
        {
            into.ErrorText = error.ToString();
            return false;
        }
        var candidate = First(root, "candidates");
        if (Obj(Obj(candidate, "content"), "parts") is { ValueKind: JsonValueKind.Array } parts)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True)
                {
                    continue;
                }
                into.Text.Append(Str(part, "text"));
            }
        }
        if (Str(candidate, "finishReason") is not null)
        {
            into.Finished = true;
        }
        return true;
    }

    public override string? AnswerText(JsonElement answer)
    {
        var parts = Obj(Obj(First(answer, "candidates"), "content"), "parts");
        return parts.ValueKind == JsonValueKind.Array ? string.Concat(parts.EnumerateArray().Select(p => Str(p, "text"))) : null;
    }
}
