using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Manifold.Contracts;
using Manifold.Contracts.Anthropic;
using Manifold.Contracts.OpenAI;
using Manifold.Conversion.Chat;
using Manifold.Conversion.Hub;
using Manifold.Conversion.Messages;

namespace Manifold.Benchmarks.Micro;

/// <summary>
/// One Chat Completions call served by an Anthropic platform, as ChatBridge and MessagesTarget do it, against
/// the same call passed through to an OpenAI platform. Both sides include the JSON work around the DTOs (read
/// the client's body, write the upstream body, read the upstream answer, write the client's answer), so the
/// Ratio column is the in-process analogue of bench.sh's converted/manifold comparison, without the sockets.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ChatViaMessagesBenchmarks
{
    private static readonly JsonSerializerOptions Json = ManifoldJson.Options;

    private byte[] _request = null!;
    private byte[] _streamRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "request.json"));
        var withStream = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(_request)!;
        withStream["stream"] = JsonSerializer.SerializeToElement(true);
        _streamRequest = JsonSerializer.SerializeToUtf8Bytes(withStream);

        // A benchmark of a conversion that went wrong measures nothing: check both answers once.
        var answer = JsonSerializer.Deserialize<CreateChatCompletionResponse>(ConvertedCore(out _), Json)!;
        if (answer.Choices[0].Message.Content != UpstreamAnswers.Content)
        {
            throw new InvalidOperationException("The converted answer does not carry the upstream's text.");
        }
        var streamed = ConvertedStreamCore();
        if (streamed < UpstreamAnswers.Content.Length)
        {
            throw new InvalidOperationException("The converted stream is shorter than the upstream's text.");
        }
    }

    [Benchmark(Baseline = true, Description = "pass-through")]
    [BenchmarkCategory("complete")]
    public int PassThrough()
    {
        var request = JsonSerializer.Deserialize<CreateChatCompletionRequest>(_request, Json)!;
        var upstreamBody = JsonSerializer.SerializeToUtf8Bytes(request, Json);
        var answer = JsonSerializer.Deserialize<CreateChatCompletionResponse>(UpstreamAnswers.ChatCompletion, Json)!;
        return upstreamBody.Length + JsonSerializer.SerializeToUtf8Bytes(answer, Json).Length;
    }

    [Benchmark(Description = "converted via Messages")]
    [BenchmarkCategory("complete")]
    public int Converted() => ConvertedCore(out var upstreamBytes).Length + upstreamBytes;

    [Benchmark(Baseline = true, Description = "pass-through")]
    [BenchmarkCategory("stream")]
    public int PassThroughStream()
    {
        var request = JsonSerializer.Deserialize<CreateChatCompletionRequest>(_streamRequest, Json)!;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, Json).Length;
        foreach (var data in UpstreamAnswers.ChatChunks)
        {
            var chunk = JsonSerializer.Deserialize<CreateChatCompletionStreamResponse>(data, Json)!;
            bytes += JsonSerializer.SerializeToUtf8Bytes(chunk, Json).Length;
        }
        return bytes;
    }

    [Benchmark(Description = "converted via Messages")]
    [BenchmarkCategory("stream")]
    public int ConvertedStream() => ConvertedStreamCore();

    private byte[] ConvertedCore(out int upstreamBytes)
    {
        var request = JsonSerializer.Deserialize<CreateChatCompletionRequest>(_request, Json)!;
        var hub = ChatCodec.Instance.DecodeRequest(request);
        hub.Stream = false;
        var anthropic = MessagesCodec.Instance.EncodeRequest(hub);
        anthropic.Stream = null;
        upstreamBytes = JsonSerializer.SerializeToUtf8Bytes(anthropic, Json).Length;
        var message = JsonSerializer.Deserialize<Message>(UpstreamAnswers.Message, Json)!;
        var answer = ChatCodec.Instance.EncodeResponse(MessagesCodec.Instance.DecodeResponse(message), hub);
        return JsonSerializer.SerializeToUtf8Bytes(answer, Json);
    }

    private int ConvertedStreamCore()
    {
        var request = JsonSerializer.Deserialize<CreateChatCompletionRequest>(_streamRequest, Json)!;
        var hub = ChatCodec.Instance.DecodeRequest(request);
        hub.Stream = true;
        var encoder = ChatCodec.Instance.CreateStreamEncoder(hub);
        var anthropic = MessagesCodec.Instance.EncodeRequest(hub);
        anthropic.Stream = true;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(anthropic, Json).Length;
        var decoder = MessagesCodec.Instance.CreateStreamDecoder(hub);
        var events = new List<HubStreamEvent>();
        var chunks = new List<CreateChatCompletionStreamResponse>();
        foreach (var data in UpstreamAnswers.MessageEvents)
        {
            decoder.Decode(JsonSerializer.Deserialize<MessageStreamEvent>(data, Json)!, events);
            bytes += Encode(events, chunks, encoder);
        }
        decoder.Finish(events);
        bytes += Encode(events, chunks, encoder);
        encoder.Finish(chunks);
        foreach (var chunk in chunks)
        {
            bytes += JsonSerializer.SerializeToUtf8Bytes(chunk, Json).Length;
        }
        return bytes;
    }

    /// <summary>Encodes the pending hub events and writes the chunks they make, as the host does per upstream event.</summary>
    private static int Encode(List<HubStreamEvent> events, List<CreateChatCompletionStreamResponse> chunks, Manifold.Conversion.Pipeline.IStreamEncoder<CreateChatCompletionStreamResponse> encoder)
    {
        var bytes = 0;
        foreach (var hubEvent in events)
        {
            encoder.Encode(hubEvent, chunks);
        }
        events.Clear();
        foreach (var chunk in chunks)
        {
            bytes += JsonSerializer.SerializeToUtf8Bytes(chunk, Json).Length;
        }
        chunks.Clear();
        return bytes;
    }
}
