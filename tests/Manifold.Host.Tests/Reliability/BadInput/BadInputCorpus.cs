using System.Net;
using System.Text;

namespace Manifold.Host.Tests.Reliability.BadInput;

/// <summary>
/// The bad-input corpus, generated combinatorially: each hostile number × each bounded numeric field × each inbound protocol ×
/// each kind of platform (the sandbox, and loopback fakes of OpenAI, Anthropic and Gemini, so both pass-through and converted
/// directions are tried); each hostile string × each place text travels; broken bodies × every JSON endpoint; then media,
/// <c>/v2</c>, the admin API and routes. Every case must be answered by Manifold itself with a 4xx in the caller's shape.
/// </summary>
public static class BadInputCorpus
{
    /// <summary>The fixture's body limit, small so a "huge" body is cheap to send.</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>A model on each platform the fixture configures: the sandbox, then fakes of each vendor.</summary>
    public static readonly string[] Models = ["sandbox-echo", "gpt-4o", "claude-sonnet-4-5", "gemini-2.5-flash"];

    /// <summary>
    /// Numbers no bounded field takes: past a double (both signs), a double far out of every range, negative, 2^63−1
    /// (a thinking budget that once wrapped max_tokens), 2^63 (past a long), and the wrong JSON types.
    /// </summary>
    public static readonly string[] HostileNumbers = ["1e400", "-1e400", "1e308", "-5", "9223372036854775807", "9223372036854775808", "\"NaN\"", "true"];

    /// <summary>String contents that are not Unicode: lone surrogate escapes, and raw bytes that are not UTF-8 (see <see cref="Raw"/>).</summary>
    public static readonly string[] HostileStrings = [@"\ud800", @"x\udc00y", "\u0001RAW\u0001"];

    private static readonly byte[] InvalidUtf8 = [0xFF, 0xFE, 0xC3];

    private const string Hi = """[{"role":"user","content":"hi"}]""";
    private const string GeminiHi = """[{"role":"user","parts":[{"text":"hi"}]}]""";

    public static IReadOnlyList<BadInputCase> All { get; } = Build();

    public static BadInputCase Get(string name) => ByName[name];

    private static readonly Dictionary<string, BadInputCase> ByName = All.ToDictionary(static c => c.Name, StringComparer.Ordinal);

    private static List<BadInputCase> Build()
    {
        var cases = new List<BadInputCase>();
        foreach (var model in Models)
        {
            Numbers(cases, model);
            Strings(cases, model);
            Broken(cases, model);
        }
        Media(cases);
        Generations(cases);
        AdminApi(cases);
        Routes(cases);
        return cases;
    }

    /// <summary>The JSON text endpoints, for <paramref name="model"/>: name, path, shape, and a body builder around extra top-level members.</summary>
    private static IEnumerable<(string Name, string Path, ErrorShape Shape, Func<string, string> Body)> TextEndpoints(string model) =>
    [
        ("chat", "/v1/chat/completions", ErrorShape.OpenAI, extra => $$"""{"model":"{{model}}","messages":{{Hi}}{{extra}}}"""),
        ("responses", "/v1/responses", ErrorShape.OpenAI, extra => $$"""{"model":"{{model}}","input":"hi"{{extra}}}"""),
        ("responses-tokens", "/v1/responses/input_tokens", ErrorShape.OpenAI, extra => $$"""{"model":"{{model}}","input":"hi"{{extra}}}"""),
        ("messages", "/v1/messages", ErrorShape.Anthropic, extra => $$"""{"model":"{{model}}","max_tokens":100,"messages":{{Hi}}{{extra}}}"""),
        ("count-tokens", "/v1/messages/count_tokens", ErrorShape.Anthropic, extra => $$"""{"model":"{{model}}","messages":{{Hi}}{{extra}}}"""),
        ("generate", $"/v1beta/models/{model}:generateContent", ErrorShape.Gemini, extra => $$"""{"contents":{{GeminiHi}}{{extra}}}"""),
        ("stream-generate", $"/v1beta/models/{model}:streamGenerateContent?alt=sse", ErrorShape.Gemini, extra => $$"""{"contents":{{GeminiHi}}{{extra}}}"""),
        ("count-gemini", $"/v1beta/models/{model}:countTokens", ErrorShape.Gemini, extra => $$"""{"contents":{{GeminiHi}}{{extra}}}"""),
    ];

    /// <summary>Each bounded numeric field of each protocol, written as the extra members that set it to <c>$V</c>.</summary>
    private static void Numbers(List<BadInputCase> cases, string model)
    {
        var fields = new (string Endpoint, string Field, string Extra)[]
        {
            ("chat", "temperature", ""","temperature":$V"""),
            ("chat", "top_p", ""","top_p":$V"""),
            ("chat", "max_tokens", ""","max_tokens":$V"""),
            ("chat", "max_completion_tokens", ""","max_completion_tokens":$V"""),
            ("chat", "presence_penalty", ""","presence_penalty":$V"""),
            ("chat", "frequency_penalty", ""","frequency_penalty":$V"""),
            ("chat", "n", ""","n":$V"""),
            ("responses", "temperature", ""","temperature":$V"""),
            ("responses", "top_p", ""","top_p":$V"""),
            ("responses", "max_output_tokens", ""","max_output_tokens":$V"""),
            ("messages", "temperature", ""","temperature":$V"""),
            ("messages", "top_p", ""","top_p":$V"""),
            ("messages", "max_tokens", ""","max_tokens":$V"""),
            ("messages", "top_k", ""","top_k":$V"""),
            ("messages", "thinking.budget_tokens", ""","thinking":{"type":"enabled","budget_tokens":$V}"""),
            ("generate", "generationConfig.temperature", ""","generationConfig":{"temperature":$V}"""),
            ("generate", "generationConfig.topP", ""","generationConfig":{"topP":$V}"""),
            ("generate", "generationConfig.maxOutputTokens", ""","generationConfig":{"maxOutputTokens":$V}"""),
            ("generate", "generationConfig.topK", ""","generationConfig":{"topK":$V}"""),
            ("generate", "generationConfig.thinkingConfig.thinkingBudget", ""","generationConfig":{"thinkingConfig":{"thinkingBudget":$V}}"""),
            ("stream-generate", "generationConfig.maxOutputTokens", ""","generationConfig":{"maxOutputTokens":$V}"""),
        };
        var endpoints = TextEndpoints(model).ToDictionary(static e => e.Name);
        foreach (var (endpointName, field, extra) in fields)
        {
            var endpoint = endpoints[endpointName];
            foreach (var value in HostileNumbers)
            {
                // messages' max_tokens is in the base body too: the later member would win, so the field replaces it.
                var body = endpoint.Body(extra.Replace("$V", value, StringComparison.Ordinal));
                if (endpointName == "messages" && field == "max_tokens")
                {
                    body = body.Replace("\"max_tokens\":100,", string.Empty, StringComparison.Ordinal);
                }
                cases.Add(new($"{endpointName} {model} {field}={value}", "POST", endpoint.Path, Utf8(body), endpoint.Shape, Field: field));
            }
        }
    }

    /// <summary>Text that is not Unicode in each place text travels: model, messages, system, tool arguments and unknown fields, nested too.</summary>
    private static void Strings(List<BadInputCase> cases, string model)
    {
        var places = new (string Endpoint, string Field, Func<string, string> Body)[]
        {
            ("chat", "messages[0].content", s => $$"""{"model":"{{model}}","messages":[{"role":"user","content":"{{s}}"}]}"""),
            ("chat", "messages[0].content", s => $$"""{"model":"{{model}}","messages":[{"role":"system","content":"{{s}}"},{"role":"user","content":"hi"}]}"""),
            ("chat", "messages[1].tool_calls[0].function.arguments", s => $$$"""{"model":"{{{model}}}","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{{{s}}}"}}]},{"role":"tool","tool_call_id":"c1","content":"ok"}]}"""),
            ("chat", "model", s => $$"""{"model":"{{s}}","messages":{{Hi}}}"""),
            ("chat", "x_unknown", s => $$"""{"model":"{{model}}","messages":{{Hi}},"x_unknown":"{{s}}"}"""),
            ("chat", "x_unknown", s => $$$"""{"model":"{{{model}}}","messages":{{{Hi}}},"x_unknown":{"deep":["{{{s}}}"]}}"""),
            ("chat", "tools[0].function.parameters", s => $$$$"""{"model":"{{{{model}}}}","messages":{{{{Hi}}}},"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","description":"{{{{s}}}}"}}}]}"""),
            ("responses", "input", s => $$"""{"model":"{{model}}","input":"{{s}}"}"""),
            ("responses", "instructions", s => $$"""{"model":"{{model}}","input":"hi","instructions":"{{s}}"}"""),
            ("responses", "x_unknown", s => $$"""{"model":"{{model}}","input":"hi","x_unknown":"{{s}}"}"""),
            ("messages", "messages[0].content", s => $$"""{"model":"{{model}}","max_tokens":100,"messages":[{"role":"user","content":"{{s}}"}]}"""),
            ("messages", "system", s => $$"""{"model":"{{model}}","max_tokens":100,"system":"{{s}}","messages":{{Hi}}}"""),
            ("messages", "messages[1].content[0].input", s => $$$"""{"model":"{{{model}}}","max_tokens":100,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{"q":"{{{s}}}"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}"""),
            ("messages", "x_unknown", s => $$"""{"model":"{{model}}","max_tokens":100,"messages":{{Hi}},"x_unknown":"{{s}}"}"""),
            ("count-tokens", "system", s => $$"""{"model":"{{model}}","system":"{{s}}","messages":{{Hi}}}"""),
            ("generate", "contents[0].parts[0].text", s => $$"""{"contents":[{"role":"user","parts":[{"text":"{{s}}"}]}]}"""),
            ("generate", "systemInstruction.parts[0].text", s => $$"""{"systemInstruction":{"parts":[{"text":"{{s}}"}]},"contents":{{GeminiHi}}}"""),
            ("generate", "contents[1].parts[0].functionCall.args", s => $$$$"""{"contents":[{"role":"user","parts":[{"text":"hi"}]},{"role":"model","parts":[{"functionCall":{"name":"f","args":{"q":"{{{{s}}}}"}}}]},{"role":"user","parts":[{"functionResponse":{"name":"f","response":{"ok":true}}}]}]}"""),
            ("generate", "xUnknown", s => $$"""{"contents":{{GeminiHi}},"xUnknown":"{{s}}"}"""),
            ("stream-generate", "contents[0].parts[0].text", s => $$"""{"contents":[{"role":"user","parts":[{"text":"{{s}}"}]}]}"""),
            ("count-gemini", "contents[0].parts[0].text", s => $$"""{"contents":[{"role":"user","parts":[{"text":"{{s}}"}]}]}"""),
        };
        var endpoints = TextEndpoints(model).ToDictionary(static e => e.Name);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (endpointName, field, body) in places)
        {
            var endpoint = endpoints[endpointName];
            foreach (var value in HostileStrings)
            {
                var label = value.Contains("RAW", StringComparison.Ordinal) ? "invalid-utf8" : value;
                var name = $"{endpointName} {model} {field}={label}";
                var count = seen[name] = seen.GetValueOrDefault(name) + 1;
                cases.Add(new(count == 1 ? name : $"{name} #{count}", "POST", endpoint.Path, Raw(body(value)), endpoint.Shape, Field: field));
            }
        }
    }

    /// <summary>Bodies that are not the request at all: empty, cut short, not an object, too deep, wrong types, too large.</summary>
    private static void Broken(List<BadInputCase> cases, string model)
    {
        var deep = new string('[', 100) + new string(']', 100);
        foreach (var endpoint in TextEndpoints(model))
        {
            var valid = endpoint.Body(string.Empty);
            void Add(string what, byte[]? body, string? field = null, HttpStatusCode status = HttpStatusCode.BadRequest, string? contentType = "application/json") =>
                cases.Add(new($"{endpoint.Name} {model} {what}", "POST", endpoint.Path, body, endpoint.Shape, status, field, contentType));

            Add("empty body", []);
            Add("no body, no content type", null, contentType: null);
            Add("truncated", Utf8(valid[..(valid.Length / 2)]));
            Add("array", Utf8("[]"));
            Add("null", Utf8("null"));
            Add("number", Utf8("42"));
            Add("two values", Utf8(valid + " {}"));
            Add("trailing comma", Utf8(valid[..^1] + ",}"));
            Add("comment", Utf8("/* hi */" + valid));
            Add("single quotes", Utf8(valid.Replace('"', '\'')));
            Add("deep unknown", Utf8(endpoint.Body($",\"x_deep\":{deep}")), "x_deep");
            Add("invalid utf-8 in a key", Raw(endpoint.Body(",\"k\u0001RAW\u0001\":1")));
            Add("plain text", Utf8("temperature=2"), contentType: "text/plain");
            Add("form-urlencoded", Utf8("model=x&temperature=1e400"), contentType: "application/x-www-form-urlencoded");
            Add("huge", Utf8(endpoint.Body($",\"x_pad\":\"{new string('a', MaxRequestBytes)}\"")), status: HttpStatusCode.RequestEntityTooLarge);
            if (endpoint.Shape == ErrorShape.Gemini)
            {
                Add("contents not an array", Utf8("""{"contents":"hi"}"""), "contents");
                // countTokens takes its settings inside generateContentRequest: at the top, generationConfig is unknown.
                if (endpoint.Name != "count-gemini")
                {
                    Add("generationConfig not an object", Utf8($$"""{"contents":{{GeminiHi}},"generationConfig":[1]}"""), "generationConfig");
                }
            }
            else
            {
                Add("model not a string", Utf8(valid.Replace($"\"{model}\"", "5", StringComparison.Ordinal)), "model");
                // Count bodies have no stream field: there it is an unknown one, passed through to a platform of the same
                // protocol; converted, it is read as the create body's, and the caller's wrong type is still a 400.
                if (!endpoint.Name.StartsWith("count", StringComparison.Ordinal) && !(endpoint.Name == "responses-tokens" && model == "gpt-4o"))
                {
                    Add("stream not a boolean", Utf8(endpoint.Body(",\"stream\":\"yes\"")), "stream");
                }
            }
        }
    }

    /// <summary>Images and videos, JSON and multipart (the form the SDKs send for edits and videos).</summary>
    private static void Media(List<BadInputCase> cases)
    {
        foreach (var value in HostileNumbers)
        {
            cases.Add(new($"images n={value}", "POST", "/v1/images/generations", Utf8($$"""{"model":"sandbox-image","prompt":"a cat","n":{{value}}}"""), ErrorShape.OpenAI, Field: "n"));
            cases.Add(new($"images output_compression={value}", "POST", "/v1/images/generations", Utf8($$"""{"model":"sandbox-image","prompt":"a cat","output_compression":{{value}}}"""), ErrorShape.OpenAI, Field: "output_compression"));
        }
        foreach (var value in HostileStrings)
        {
            var label = value.Contains("RAW", StringComparison.Ordinal) ? "invalid-utf8" : value;
            cases.Add(new($"images prompt={label}", "POST", "/v1/images/generations", Raw($$"""{"model":"sandbox-image","prompt":"{{value}}"}"""), ErrorShape.OpenAI, Field: "prompt"));
            cases.Add(new($"videos prompt={label}", "POST", "/v1/videos", Raw($$"""{"model":"sandbox-video","prompt":"{{value}}"}"""), ErrorShape.OpenAI, Field: "prompt"));
            cases.Add(new($"videos x_unknown={label}", "POST", "/v1/videos", Raw($$"""{"model":"sandbox-video","prompt":"a cat","x_unknown":["{{value}}"]}"""), ErrorShape.OpenAI, Field: "x_unknown"));
        }
        cases.Add(new("images empty body", "POST", "/v1/images/generations", [], ErrorShape.OpenAI));
        cases.Add(new("images prompt not a string", "POST", "/v1/images/generations", Utf8("""{"model":"sandbox-image","prompt":5}"""), ErrorShape.OpenAI, Field: "prompt"));
        cases.Add(new("videos empty body", "POST", "/v1/videos", [], ErrorShape.OpenAI));
        cases.Add(new("videos truncated", "POST", "/v1/videos", Utf8("""{"model":"sandbox-video","prom"""), ErrorShape.OpenAI));
        cases.Add(new("videos seconds not a string", "POST", "/v1/videos", Utf8("""{"model":"sandbox-video","prompt":"a cat","seconds":1e400}"""), ErrorShape.OpenAI, Field: "seconds"));

        const string Boundary = "corpus-boundary";
        const string FormType = "multipart/form-data; boundary=" + Boundary;
        byte[] Form(params (string Name, byte[] Value)[] parts)
        {
            var body = new List<byte>();
            foreach (var (name, value) in parts)
            {
                body.AddRange(Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"));
                body.AddRange(value);
                body.AddRange("\r\n"u8.ToArray());
            }
            body.AddRange(Encoding.ASCII.GetBytes($"--{Boundary}--\r\n"));
            return [.. body];
        }
        var image = Encoding.ASCII.GetBytes("not really a png");
        cases.Add(new("videos form without prompt", "POST", "/v1/videos", Form(("model", Utf8("sandbox-video"))), ErrorShape.OpenAI, Field: "prompt", ContentType: FormType));
        cases.Add(new("videos form prompt invalid-utf8", "POST", "/v1/videos", Form(("model", Utf8("sandbox-video")), ("prompt", [.. "a "u8, .. InvalidUtf8])), ErrorShape.OpenAI, Field: "prompt", ContentType: FormType));
        cases.Add(new("videos form cut short", "POST", "/v1/videos", Utf8($"--{Boundary}\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na ca"), ErrorShape.OpenAI, ContentType: FormType));
        cases.Add(new("videos form without boundary", "POST", "/v1/videos", Form(("prompt", Utf8("a cat"))), ErrorShape.OpenAI, ContentType: "multipart/form-data"));
        cases.Add(new("image edit form n=abc", "POST", "/v1/images/edits", Form(("model", Utf8("sandbox-image")), ("prompt", Utf8("a cat")), ("n", Utf8("abc")), ("image", image)), ErrorShape.OpenAI, Field: "n", ContentType: FormType));
        cases.Add(new("image edit form n=1e400", "POST", "/v1/images/edits", Form(("model", Utf8("sandbox-image")), ("prompt", Utf8("a cat")), ("n", Utf8("1e400")), ("image", image)), ErrorShape.OpenAI, Field: "n", ContentType: FormType));
        cases.Add(new("image edit form n=-5", "POST", "/v1/images/edits", Form(("model", Utf8("sandbox-image")), ("prompt", Utf8("a cat")), ("n", Utf8("-5")), ("image", image)), ErrorShape.OpenAI, Field: "n", ContentType: FormType));
        cases.Add(new("image edit form prompt invalid-utf8", "POST", "/v1/images/edits", Form(("model", Utf8("sandbox-image")), ("prompt", [.. InvalidUtf8]), ("image", image)), ErrorShape.OpenAI, Field: "prompt", ContentType: FormType));
    }

    /// <summary>Seed 002's unified task API.</summary>
    private static void Generations(List<BadInputCase> cases)
    {
        foreach (var kind in new[] { "videos", "images" })
        {
            var path = $"/v2/{kind}/generations";
            var model = kind == "videos" ? "sandbox-video" : "sandbox-image";
            foreach (var value in HostileStrings)
            {
                var label = value.Contains("RAW", StringComparison.Ordinal) ? "invalid-utf8" : value;
                cases.Add(new($"v2 {kind} prompt={label}", "POST", path, Raw($$"""{"model":"{{model}}","prompt":"{{value}}"}"""), ErrorShape.OpenAI, Field: "prompt"));
                cases.Add(new($"v2 {kind} images={label}", "POST", path, Raw($$"""{"model":"{{model}}","prompt":"a cat","images":["{{value}}"]}"""), ErrorShape.OpenAI, Field: "images"));
            }
            foreach (var value in new[] { "1e400", "-1e400" })
            {
                cases.Add(new($"v2 {kind} duration={value}", "POST", path, Utf8($$"""{"model":"{{model}}","prompt":"a cat","duration":{{value}}}"""), ErrorShape.OpenAI, Field: "duration"));
            }
            cases.Add(new($"v2 {kind} empty body", "POST", path, [], ErrorShape.OpenAI));
            cases.Add(new($"v2 {kind} truncated", "POST", path, Utf8($$"""{"model":"{{model}}","pro"""), ErrorShape.OpenAI));
            cases.Add(new($"v2 {kind} array", "POST", path, Utf8("[1]"), ErrorShape.OpenAI));
            cases.Add(new($"v2 {kind} prompt not a string", "POST", path, Utf8($$"""{"model":"{{model}}","prompt":["a"]}"""), ErrorShape.OpenAI, Field: "prompt"));
            cases.Add(new($"v2 {kind} watermark not a boolean", "POST", path, Utf8($$"""{"model":"{{model}}","prompt":"a cat","watermark":"yes"}"""), ErrorShape.OpenAI, Field: "watermark"));
            cases.Add(new($"v2 {kind} huge", "POST", path, Utf8($$"""{"model":"{{model}}","prompt":"{{new string('a', MaxRequestBytes)}}"}"""), ErrorShape.OpenAI, HttpStatusCode.RequestEntityTooLarge));
        }
    }

    /// <summary>The admin API, with the admin key: its own JSON reading, in OpenAI's shape.</summary>
    private static void AdminApi(List<BadInputCase> cases)
    {
        void Add(string what, string method, string path, byte[]? body, string? field = null) =>
            cases.Add(new($"admin {what}", method, path, body, ErrorShape.OpenAI, HttpStatusCode.BadRequest, field, Admin: true));

        foreach (var value in HostileStrings)
        {
            var label = value.Contains("RAW", StringComparison.Ordinal) ? "invalid-utf8" : value;
            Add($"licence name={label}", "POST", "/admin/api/licences", Raw($$"""{"name":"{{value}}"}"""), "name");
            Add($"licence models={label}", "POST", "/admin/api/licences", Raw($$"""{"name":"n","models":["{{value}}"]}"""), "models");
        }
        foreach (var value in HostileNumbers)
        {
            Add($"licence quota={value}", "POST", "/admin/api/licences", Utf8($$"""{"name":"n","quota":{{value}}}"""), "quota");
            Add($"licence limits.rpm={value}", "POST", "/admin/api/licences", Utf8("""{"name":"n","limits":{"rpm":""" + value + "}}"), "limits");
        }
        Add("licence empty body", "POST", "/admin/api/licences", []);
        Add("licence truncated", "POST", "/admin/api/licences", Utf8("""{"name":"""));
        Add("licence array", "POST", "/admin/api/licences", Utf8("[]"));
        Add("licence expires_at not a date", "POST", "/admin/api/licences", Utf8("""{"name":"n","expires_at":"soon"}"""), "expires_at");
        Add("licence unknown field", "POST", "/admin/api/licences", Utf8("""{"name":"n","colour":"red"}"""), "colour");
        Add("prices not an object", "PUT", "/admin/api/prices", Utf8("[1]"));
        Add("prices truncated", "PUT", "/admin/api/prices", Utf8("""{"models":"""));
    }

    /// <summary>Unknown paths and wrong methods: 404 or 405 in the shape of the API the path belongs to.</summary>
    private static void Routes(List<BadInputCase> cases)
    {
        void Add(string method, string path, ErrorShape shape, HttpStatusCode status) =>
            cases.Add(new($"route {method} {path}", method, path, method == "GET" ? null : Utf8("{}"), shape, status, Admin: path.StartsWith("/admin", StringComparison.Ordinal)));

        Add("POST", "/v1/embeddings", ErrorShape.OpenAI, HttpStatusCode.NotFound);
        Add("POST", "/v1/nothing/here", ErrorShape.OpenAI, HttpStatusCode.NotFound);
        Add("POST", "/v2/music/generations", ErrorShape.OpenAI, HttpStatusCode.NotFound);
        Add("GET", "/admin/api/nothing", ErrorShape.OpenAI, HttpStatusCode.NotFound);
        Add("POST", "/v1/messages/batches", ErrorShape.Anthropic, HttpStatusCode.NotFound);
        Add("POST", "/sandbox/v1/messages/foo", ErrorShape.Anthropic, HttpStatusCode.NotFound);
        Add("POST", "/v1beta/models/gemini-2.5-flash:fooBar", ErrorShape.Gemini, HttpStatusCode.NotFound);
        Add("POST", "/v1/models/gemini-2.5-flash:fooBar", ErrorShape.Gemini, HttpStatusCode.NotFound);
        Add("POST", "/gemini/v1beta/models/gemini-2.5-flash:fooBar", ErrorShape.Gemini, HttpStatusCode.NotFound);
        Add("GET", "/v1/chat/completions", ErrorShape.OpenAI, HttpStatusCode.MethodNotAllowed);
        Add("DELETE", "/v1/responses", ErrorShape.OpenAI, HttpStatusCode.MethodNotAllowed);
        Add("GET", "/sandbox/v1/chat/completions", ErrorShape.OpenAI, HttpStatusCode.MethodNotAllowed);
        Add("PUT", "/v2/videos/generations", ErrorShape.OpenAI, HttpStatusCode.MethodNotAllowed);
        Add("DELETE", "/admin/api/licences", ErrorShape.OpenAI, HttpStatusCode.MethodNotAllowed);
        Add("GET", "/v1/messages", ErrorShape.Anthropic, HttpStatusCode.MethodNotAllowed);
        Add("PUT", "/claude/v1/messages/count_tokens", ErrorShape.Anthropic, HttpStatusCode.MethodNotAllowed);
        Add("DELETE", "/v1beta/models/gemini-2.5-flash:streamGenerateContent", ErrorShape.Gemini, HttpStatusCode.MethodNotAllowed);
        Add("PUT", "/gemini/v1beta/models/gemini-2.5-flash:countTokens", ErrorShape.Gemini, HttpStatusCode.MethodNotAllowed);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>UTF-8 of <paramref name="text"/>, each <c>\u0001RAW\u0001</c> replaced by bytes that are not UTF-8.</summary>
    private static byte[] Raw(string text)
    {
        var pieces = text.Split("\u0001RAW\u0001");
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(pieces[0]));
        foreach (var piece in pieces.Skip(1))
        {
            bytes.AddRange(InvalidUtf8);
            bytes.AddRange(Encoding.UTF8.GetBytes(piece));
        }
        return [.. bytes];
    }
}
