using System.Buffers;
using System.Text;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Responses;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Protocols;

public sealed class OpenAIResponsesWireProtocolTests
{
    private static readonly OpenAIResponsesWireProtocol Protocol = OpenAIResponsesWireProtocol.Instance;

    [Fact]
    public void Is_the_protocol_specs_name_openai_responses() => Assert.Same(Protocol, WireProtocols.Get("openai-responses"));

    [Fact]
    public void Errors_have_openais_shape()
    {
        var body = Write((output, json) => Protocol.WriteError(output, json, new ErrorInfo(400, "invalid_request_error", "'previous_response_id' is not supported.", "previous_response_id", "unsupported_parameter")));

        Assert.Equal("""{"error":{"message":"'previous_response_id' is not supported.","type":"invalid_request_error","param":"previous_response_id","code":"unsupported_parameter"}}""", body);
    }

    [Fact]
    public void Events_are_named_after_their_type()
    {
        var framing = Protocol.BeginStream(new DefaultHttpContext().Request);
        var chunk = new ResponseStreamEvent
        {
            Type = "response.output_text.delta",
            SequenceNumber = 4,
            ItemId = "msg_1",
            OutputIndex = 0,
            ContentIndex = 0,
            Delta = "Héllo",
            Logprobs = [],
        };

        var text = Write((output, json) => framing.WriteEvent(output, json, chunk));

        Assert.Equal("text/event-stream; charset=utf-8", framing.ContentType);
        Assert.Equal(
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"output_index\":0,\"item_id\":\"msg_1\",\"content_index\":0,\"delta\":\"Héllo\",\"logprobs\":[]}\n\n",
            text);
    }

    [Fact]
    public void A_type_with_a_newline_cannot_inject_an_event()
    {
        var framing = Protocol.BeginStream(new DefaultHttpContext().Request);
        var chunk = new ResponseStreamEvent { Type = "response.completed\n\nevent: error" };

        var text = Write((output, json) => framing.WriteEvent(output, json, chunk));

        Assert.StartsWith("event: response.completedevent: error\ndata: ", text);
    }

    [Fact]
    public void The_stream_has_no_done_marker()
    {
        var framing = Protocol.BeginStream(new DefaultHttpContext().Request);
        var output = new ArrayBufferWriter<byte>();
        framing.WriteStart(output);
        framing.WriteStreamEnd(output);

        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_failure_mid_stream_is_an_error_event_numbered_after_the_last_event()
    {
        var framing = Protocol.BeginStream(new DefaultHttpContext().Request);
        Write((output, json) =>
        {
            framing.WriteEvent(output, json, new ResponseStreamEvent { Type = "response.created", SequenceNumber = 0 });
            framing.WriteEvent(output, json, new ResponseStreamEvent { Type = "response.in_progress", SequenceNumber = 1 });
        });

        var text = Write((output, json) => framing.WriteStreamError(output, json, new ErrorInfo(429, "rate_limit_error", "Rate limit reached.", null, "rate_limit_exceeded")));

        Assert.Equal("event: error\ndata: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Rate limit reached.\",\"param\":null,\"sequence_number\":2}\n\n", text);
    }

    [Fact]
    public void An_error_before_any_event_is_number_zero_and_falls_back_to_the_type_as_code()
    {
        var framing = Protocol.BeginStream(new DefaultHttpContext().Request);

        var text = Write((output, json) => framing.WriteStreamError(output, json, new ErrorInfo(502, "upstream_error", "Unreachable.", "model")));

        Assert.Equal("event: error\ndata: {\"type\":\"error\",\"code\":\"upstream_error\",\"message\":\"Unreachable.\",\"param\":\"model\",\"sequence_number\":0}\n\n", text);
    }

    [Fact]
    public void Each_stream_numbers_its_own_events()
    {
        var first = Protocol.BeginStream(new DefaultHttpContext().Request);
        Write((output, json) => first.WriteEvent(output, json, new ResponseStreamEvent { Type = "response.created", SequenceNumber = 7 }));
        var second = Protocol.BeginStream(new DefaultHttpContext().Request);

        var text = Write((output, json) => second.WriteStreamError(output, json, new ErrorInfo(500, "server_error", "Boom.")));

        Assert.NotSame(first, second);
        Assert.Contains("\"sequence_number\":0", text);
    }

    private static string Write(Action<IBufferWriter<byte>, Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(output, ManifoldJson.WriterOptions);
        write(output, json);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
