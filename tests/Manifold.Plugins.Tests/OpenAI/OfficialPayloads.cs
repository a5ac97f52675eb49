namespace Manifold.Plugins.Tests.OpenAI;

/// <summary>Payloads as OpenAI's API reference documents them, for the fake upstream to answer with.</summary>
internal static class OfficialPayloads
{
    public const string ChatCompletion = """
        {
          "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
          "object": "chat.completion",
          "created": 1741569952,
          "model": "gpt-4.1-2025-04-14",
          "choices": [
            {
              "index": 0,
              "message": {
                "role": "assistant",
                "content": "Hello! How can I assist you today?",
                "refusal": null,
                "annotations": []
              },
              "logprobs": null,
              "finish_reason": "stop"
            }
          ],
          "usage": {
            "prompt_tokens": 19,
            "completion_tokens": 10,
            "total_tokens": 29,
            "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 0 },
            "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
          },
          "service_tier": "default"
        }
        """;

    public const string Chunk1 =
        """{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""";

    public const string Chunk2 =
        """{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}""";

    public const string FinishChunk =
        """{"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","system_fingerprint":"fp_44709d6fcb","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""";

    public const string ModelList = """
        {
          "object": "list",
          "data": [
            { "id": "model-id-0", "object": "model", "created": 1686935002, "owned_by": "organization-owner" },
            { "id": "model-id-1", "object": "model", "created": 1686935002, "owned_by": "organization-owner" },
            { "id": "model-id-2", "object": "model", "created": 1686935002, "owned_by": "openai" }
          ]
        }
        """;

    public const string Model = """{ "id": "gpt-4o-mini", "object": "model", "created": 1686935002, "owned_by": "system" }""";

    public const string InvalidValueError = """
        { "error": { "message": "Invalid value: 'sytem'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.", "type": "invalid_request_error", "param": "messages[0].role", "code": "invalid_value" } }
        """;

    public const string RateLimitError = """
        { "error": { "message": "Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.", "type": "requests", "param": null, "code": "rate_limit_exceeded" } }
        """;

    public const string ServerError = """
        { "error": { "message": "The server had an error while processing your request. Sorry about that!", "type": "server_error", "param": null, "code": null } }
        """;

    public const string InvalidApiKeyError = """
        { "error": { "message": "Incorrect API key provided: sk-test-***pKey. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key" } }
        """;

    public const string ModelNotFoundError = """
        { "error": { "message": "The model 'gpt-nope' does not exist", "type": "invalid_request_error", "param": "model", "code": "model_not_found" } }
        """;
}
