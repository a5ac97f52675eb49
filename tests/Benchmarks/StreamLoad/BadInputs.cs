using System.Net.Http.Headers;
using System.Text;

namespace Manifold.Benchmarks.StreamLoad;

/// <summary>
/// The reliability run's hostile requests, in the caller's protocol: broken JSON, wrong types, out-of-range numbers,
/// lone surrogates, unknown routes, wrong methods, no key, a wrong key. Each must get a 4xx with a well-formed error body.
/// <see cref="BadInput.Licensed"/> says whether it carries the valid key (then the gateway's request log may hold it).
/// </summary>
internal sealed record BadInput(string Name, Func<HttpRequestMessage> Build, bool Licensed);

internal static class BadInputs
{
    public static BadInput Pick(Random random, Inbound inbound, string gateway, string platform, string key)
    {
        var model = Inbound.ModelFor(platform);
        var (path, auth) = inbound.Name switch
        {
            "chat" => ($"/{platform}/v1/chat/completions", "bearer"),
            "responses" => ($"/{platform}/v1/responses", "bearer"),
            "messages" => ($"/{platform}/v1/messages", "x-api-key"),
            _ => ($"/{platform}/v1beta/models/{model}:generateContent", "x-goog-api-key"),
        };
        var messages = inbound.Name switch
        {
            "responses" => "\"input\": \"hi\"",
            "gemini" => "\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"hi\"}]}]",
            _ => "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]",
        };
        var modelField = inbound.Name == "gemini" ? "" : $"\"model\": \"{model}\", ";
        var sampling = inbound.Name == "gemini" ? "\"generationConfig\": {\"temperature\": 1e400}, " : "\"temperature\": 1e400, ";
        var tokens = inbound.Name switch
        {
            "gemini" => "\"generationConfig\": {\"maxOutputTokens\": \"many\"}, ",
            "responses" => "\"max_output_tokens\": \"many\", ",
            _ => "\"max_tokens\": \"many\", ",
        };
        HttpRequestMessage Post(string body, string? withKey = null, string? to = null, bool noKey = false) =>
            Make(HttpMethod.Post, gateway + (to ?? path), body, auth, noKey ? null : withKey ?? key);

        BadInput[] corpus =
        [
            new("broken-json", () => Post("{\"model\": \"" + model + "\", \"messages\": ["), true),
            new("not-an-object", () => Post("[1, 2, 3]"), true),
            new("wrong-type", () => Post("{" + modelField + (inbound.Name == "gemini" ? "\"contents\": \"hi\"" : inbound.Name == "responses" ? "\"input\": 42" : "\"messages\": \"hi\"") + "}"), true),
            new("out-of-range", () => Post("{" + modelField + sampling + messages + "}"), true),
            new("string-for-number", () => Post("{" + modelField + tokens + messages + "}"), true),
            new("lone-surrogate", () => Post("{" + modelField + messages.Replace("hi", "\\ud800 hi", StringComparison.Ordinal) + "}"), true),
            new("empty-body", () => Post(""), true),
            new("unknown-route", () => Post("{}", to: $"/{platform}/v1/no-such-endpoint"), true),
            new("wrong-method", () => Make(HttpMethod.Get, gateway + path, null, auth, key), true),
            new("no-key", () => Post("{" + modelField + messages + "}", noKey: true), false),
            new("wrong-key", () => Post("{" + modelField + messages + "}", withKey: "mf-not-a-licence-key-000000000000"), false),
        ];
        return corpus[random.Next(corpus.Length)];
    }

    private static HttpRequestMessage Make(HttpMethod method, string url, string? body, string auth, string? key)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        if (key is not null)
        {
            switch (auth)
            {
                case "bearer":
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                    break;
                case "x-api-key":
                    request.Headers.Add("x-api-key", key);
                    request.Headers.Add("anthropic-version", "2023-06-01");
                    break;
                default:
                    request.Headers.Add("x-goog-api-key", key);
                    break;
            }
        }
        return request;
    }
}
