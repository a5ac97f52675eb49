using System.Buffers;
using System.Text;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.OpenAI.Images;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Protocols;

public sealed class OpenAIImagesWireProtocolTests
{
    private static string Write(Action<ArrayBufferWriter<byte>, Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(output, ManifoldJson.WriterOptions);
        write(output, json);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Events_are_named_after_their_type_and_the_stream_has_no_done_marker()
    {
        var protocol = WireProtocols.Get("openai-images");
        var framing = protocol.BeginStream(new DefaultHttpContext().Request);
        var partial = new ImageGenStreamEvent { Type = "image_generation.partial_image" };

        var text = Write((output, json) =>
        {
            framing.WriteEvent(output, json, partial);
            framing.WriteStreamEnd(output);
        });

        Assert.Same(OpenAIImagesWireProtocol.Instance, protocol);
        Assert.StartsWith("event: image_generation.partial_image\ndata: {\"type\":\"image_generation.partial_image\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_mid_stream_is_an_error_event_in_openais_error_shape()
    {
        var framing = OpenAIImagesWireProtocol.Instance.BeginStream(new DefaultHttpContext().Request);

        var text = Write((output, json) => framing.WriteStreamError(output, json, new ErrorInfo(502, "upstream_error", "Upstream broke.")));

        Assert.Equal("event: error\ndata: {\"error\":{\"message\":\"Upstream broke.\",\"type\":\"upstream_error\",\"param\":null,\"code\":null}}\n\n", text);
    }
}
