using System.Text;

namespace Manifold.Benchmarks.Micro;

/// <summary>
/// What tests/Benchmarks/FakeUpstream answers to the bench request, byte for byte in shape: the OpenAI
/// chat.completion and its stream chunks (pass-through), the Anthropic Message and its stream events
/// (converted). Same text, same token counts on both sides.
/// </summary>
internal static class UpstreamAnswers
{
    public const string Content = "Hello! How can I help you today?";

    public static readonly byte[] ChatCompletion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-fake0000000000000001","object":"chat.completion","created":1795324886,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":101,"completion_tokens":9,"total_tokens":110,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_fake0bench"}""");

    public static readonly byte[] Message = Encoding.UTF8.GetBytes(
        """{"id":"msg_fake0000000000000001","type":"message","role":"assistant","content":[{"type":"text","text":"Hello! How can I help you today?"}],"model":"gpt-4o-mini","stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":100,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":9}}""");

    /// <summary>The data payloads of the fake's Chat Completions stream (no usage chunk: the bench request does not ask for one).</summary>
    public static readonly byte[][] ChatChunks = Utf8(
        """{"id":"chatcmpl-fake0000000000000002","object":"chat.completion.chunk","created":1795324886,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_fake0bench","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]}""",
        """{"id":"chatcmpl-fake0000000000000002","object":"chat.completion.chunk","created":1795324886,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_fake0bench","choices":[{"index":0,"delta":{"content":"Hello!"},"logprobs":null,"finish_reason":null}]}""",
        """{"id":"chatcmpl-fake0000000000000002","object":"chat.completion.chunk","created":1795324886,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_fake0bench","choices":[{"index":0,"delta":{"content":" How can I"},"logprobs":null,"finish_reason":null}]}""",
        """{"id":"chatcmpl-fake0000000000000002","object":"chat.completion.chunk","created":1795324886,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_fake0bench","choices":[{"index":0,"delta":{"content":" help you today?"},"logprobs":null,"finish_reason":null}]}""",
        """{"id":"chatcmpl-fake0000000000000002","object":"chat.completion.chunk","created":1795324886,"model":"gpt-4o-mini","service_tier":"default","system_fingerprint":"fp_fake0bench","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""");

    /// <summary>The data payloads of the fake's Messages stream, in the documented order.</summary>
    public static readonly byte[][] MessageEvents = Utf8(
        """{"type":"message_start","message":{"id":"msg_fake0000000000000002","type":"message","role":"assistant","content":[],"model":"gpt-4o-mini","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":104,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        """{"type":"ping"}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello!"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" How can I"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" help you today?"}}""",
        """{"type":"content_block_stop","index":0}""",
        """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":9}}""",
        """{"type":"message_stop"}""");

    private static byte[][] Utf8(params string[] json) => [.. json.Select(Encoding.UTF8.GetBytes)];
}
