using System.Buffers;
using System.Text;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Protocols;

public sealed class AnthropicWireProtocolTests
{
    private static readonly AnthropicWireProtocol Protocol = AnthropicWireProtocol.Instance;

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(402, "billing_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "api_error")]
    [InlineData(504, "timeout_error")]
    [InlineData(529, "overloaded_error")]
    [InlineData(409, "conflict_error")]
    [InlineData(422, "invalid_request_error")]
    public void Errors_carry_anthropics_type_for_the_status(int status, string type)
    {
        // The type the error arrives with is OpenAI's vocabulary; Anthropic clients must see their own.
        var body = Write((output, json) => Protocol.WriteError(output, json, new ErrorInfo(status, "server_error", "Something broke.", "model", "some_code", "req_011CS")));

        Assert.Equal($$$"""{"type":"error","error":{"type":"{{{type}}}","message":"Something broke."},"request_id":"req_011CS"}""", body);
    }

    [Fact]
    public void Is_the_protocol_specs_name_anthropic() => Assert.Same(Protocol, WireProtocols.Get("anthropic"));

    [Fact]
    public void Events_are_named_after_their_type()
    {
        var framing = Protocol.BeginStream(new DefaultHttpContext().Request);
        var chunk = new MessageStreamEvent
        {
            Type = "content_block_delta",
            Index = 0,
            Delta = new MessageStreamDelta { Type = "text_delta", Text = "Héllo" },
        };

        var text = Write((output, json) => framing.WriteEvent(output, json, chunk));

        Assert.Equal("text/event-stream; charset=utf-8", framing.ContentType);
        Assert.Equal("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Héllo\"}}\n\n", text);
    }

    [Fact]
    public void Message_start_writes_null_stop_reason_as_the_api_does()
    {
        var chunk = new MessageStreamEvent
        {
            Type = "message_start",
            Message = new Message { Id = "msg_1", Model = "claude-sonnet-4-5", Content = [], Usage = new Usage { InputTokens = 25, OutputTokens = 1 } },
        };

        var text = Write((output, json) => Protocol.WriteEvent(output, json, chunk));

        Assert.Equal(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],"
            + "\"model\":\"claude-sonnet-4-5\",\"stop_reason\":null,\"stop_sequence\":null,\"stop_details\":null,\"container\":null,\"diagnostics\":null,"
            + "\"usage\":{\"input_tokens\":25,\"output_tokens\":1,\"cache_creation_input_tokens\":null,\"cache_read_input_tokens\":null,\"cache_creation\":null,\"server_tool_use\":null,\"service_tier\":null,\"speed\":null,\"inference_geo\":null,\"output_tokens_details\":null}}}\n\n",
            text);
    }

    [Fact]
    public void A_type_with_a_newline_cannot_inject_an_event()
    {
        var chunk = new MessageStreamEvent { Type = "ping\n\nevent: message_stop" };

        var text = Write((output, json) => Protocol.WriteEvent(output, json, chunk));

        Assert.StartsWith("event: pingevent: message_stop\ndata: ", text);
        Assert.Equal(2, text.Split('\n').Length - 2);
    }

    [Fact]
    public void A_failure_mid_stream_is_an_error_event_with_the_error_body()
    {
        var text = Write((output, json) => Protocol.WriteStreamError(output, json, new ErrorInfo(529, "upstream_error", "Overloaded", RequestId: "req_1")));

        Assert.Equal("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"req_1\"}\n\n", text);
    }

    [Fact]
    public void The_stream_has_no_start_or_end_marker()
    {
        var output = new ArrayBufferWriter<byte>();
        Protocol.WriteStart(output);
        Protocol.WriteStreamEnd(output);

        Assert.Equal(0, output.WrittenCount);
    }

    private static string Write(Action<IBufferWriter<byte>, Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(output, ManifoldJson.WriterOptions);
        write(output, json);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
