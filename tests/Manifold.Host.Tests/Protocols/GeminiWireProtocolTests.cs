using System.Buffers;
using System.Text;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Protocols;

public sealed class GeminiWireProtocolTests
{
    private static readonly GeminiWireProtocol Protocol = GeminiWireProtocol.Instance;

    private static readonly GenerateContentResponse Chunk = new()
    {
        Candidates = [new Candidate { Content = new Content { Role = "model", Parts = [new Part { Text = "Héllo" }] }, Index = 0 }],
        ResponseId = "r1",
    };

    [Theory]
    [InlineData(400, "INVALID_ARGUMENT")]
    [InlineData(401, "UNAUTHENTICATED")]
    [InlineData(403, "PERMISSION_DENIED")]
    [InlineData(404, "NOT_FOUND")]
    [InlineData(408, "DEADLINE_EXCEEDED")]
    [InlineData(409, "ABORTED")]
    [InlineData(413, "INVALID_ARGUMENT")]
    [InlineData(429, "RESOURCE_EXHAUSTED")]
    [InlineData(499, "CANCELLED")]
    [InlineData(500, "INTERNAL")]
    [InlineData(501, "UNIMPLEMENTED")]
    [InlineData(502, "UNAVAILABLE")]
    [InlineData(503, "UNAVAILABLE")]
    [InlineData(504, "DEADLINE_EXCEEDED")]
    public void Errors_carry_googles_status_for_the_http_status(int status, string name)
    {
        // The type and code arrive in OpenAI's vocabulary; Gemini clients read code (the HTTP status) and status.
        var body = Write((output, json) => Protocol.WriteError(output, json, new ErrorInfo(status, "invalid_request_error", "Something \"broke\".", "model", "model_not_found")));

        Assert.Equal($$$"""{"error":{"code":{{{status}}},"message":"Something \"broke\".","status":"{{{name}}}"}}""", body);
    }

    [Fact]
    public void An_upstream_gemini_status_is_kept()
    {
        var body = Write((output, json) => Protocol.WriteError(output, json, new ErrorInfo(400, "invalid_request_error", "User location is not supported.", Code: "FAILED_PRECONDITION")));

        Assert.Equal("""{"error":{"code":400,"message":"User location is not supported.","status":"FAILED_PRECONDITION"}}""", body);
    }

    [Fact]
    public void Is_the_protocol_specs_name_gemini() => Assert.Same(Protocol, WireProtocols.Get("gemini"));

    [Fact]
    public void Alt_sse_streams_server_sent_events_without_an_end_marker()
    {
        var framing = Protocol.BeginStream(Request("?alt=sse"));

        var text = Write((output, json) =>
        {
            framing.WriteStart(output);
            framing.WriteEvent(output, json, Chunk);
            framing.WriteEvent(output, json, Chunk);
            framing.WriteStreamEnd(output);
        });

        Assert.Equal("text/event-stream", framing.ContentType);
        var data = """{"candidates":[{"content":{"role":"model","parts":[{"text":"Héllo"}]},"index":0}],"responseId":"r1"}""";
        Assert.Equal($"data: {data}\r\n\r\ndata: {data}\r\n\r\n", text);
    }

    [Fact]
    public void Alt_sse_reports_a_late_failure_as_one_more_event()
    {
        var framing = Protocol.BeginStream(Request("?alt=SSE&key=abc"));

        var text = Write((output, json) => framing.WriteStreamError(output, json, new ErrorInfo(503, "api_error", "The model is overloaded.")));

        Assert.Equal("data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n", text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?alt=json")]
    public void Without_alt_sse_the_stream_is_one_json_array(string query)
    {
        var framing = Protocol.BeginStream(Request(query));

        var text = Write((output, json) =>
        {
            framing.WriteStart(output);
            framing.WriteEvent(output, json, Chunk);
            framing.WriteEvent(output, json, Chunk);
            framing.WriteStreamEnd(output);
        });

        Assert.StartsWith("application/json", framing.ContentType);
        using var document = JsonDocument.Parse(text);
        Assert.Equal(2, document.RootElement.GetArrayLength());
        Assert.Equal("Héllo", document.RootElement[1].GetProperty("candidates")[0].GetProperty("content").GetProperty("parts")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void An_empty_array_stream_is_still_json()
    {
        var framing = Protocol.BeginStream(Request(""));

        var text = Write((output, _) =>
        {
            framing.WriteStart(output);
            framing.WriteStreamEnd(output);
        });

        Assert.Equal("[]", text);
    }

    [Fact]
    public void A_late_failure_is_the_arrays_last_element()
    {
        var framing = Protocol.BeginStream(Request(""));

        var text = Write((output, json) =>
        {
            framing.WriteStart(output);
            framing.WriteEvent(output, json, Chunk);
            framing.WriteStreamError(output, json, new ErrorInfo(500, "api_error", "Internal error encountered."));
        });

        using var document = JsonDocument.Parse(text);
        var error = document.RootElement[1].GetProperty("error");
        Assert.Equal((500, "INTERNAL"), (error.GetProperty("code").GetInt32(), error.GetProperty("status").GetString()));
    }

    [Fact]
    public void Each_array_stream_has_its_own_state()
    {
        var first = Protocol.BeginStream(Request(""));
        Write((output, json) =>
        {
            first.WriteStart(output);
            first.WriteEvent(output, json, Chunk);
        });

        var second = Protocol.BeginStream(Request(""));
        var text = Write((output, json) =>
        {
            second.WriteStart(output);
            second.WriteEvent(output, json, Chunk);
            second.WriteStreamEnd(output);
        });

        Assert.StartsWith("[{", text);
    }

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    private static string Write(Action<IBufferWriter<byte>, Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, ManifoldJson.WriterOptions))
        {
            write(buffer, json);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
