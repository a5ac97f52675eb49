using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Manifold.Contracts;
using Manifold.Host.Protocols;
using Microsoft.AspNetCore.Http;

namespace Manifold.Host.Tests.Protocols;

/// <summary>
/// A plugin's streamed events reach the framing typed as <see cref="object"/> (PluginOperation.Stream) and are of the
/// plugin's own types: protocols that name events after the payload's <c>type</c> still name them.
/// </summary>
public sealed class PluginEventNamingTests
{
    /// <summary>An event type a plugin's spec could generate: not one of the protocol's own.</summary>
    public sealed class RerankProgress
    {
        [JsonPropertyName("type")]
        public string Type { get; set; } = "rerank.progress";

        [JsonPropertyName("done")]
        public long Done { get; set; }
    }

    [Theory]
    [InlineData("anthropic")]
    [InlineData("openai-responses")]
    [InlineData("openai-images")]
    public void A_plugin_event_is_named_after_its_type(string protocol)
    {
        var framing = WireProtocols.Get(protocol).BeginStream(new DefaultHttpContext().Request);
        var output = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(output, ManifoldJson.WriterOptions);

        framing.WriteEvent<object>(output, json, new RerankProgress { Done = 3 });

        Assert.Equal("event: rerank.progress\ndata: {\"type\":\"rerank.progress\",\"done\":3}\n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
