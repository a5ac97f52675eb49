namespace Manifold.Plugins.Tests.Gemini;

/// <summary>Payloads as the Gemini API reference and guides document them, for the fake upstream to answer with.</summary>
internal static class GeminiPayloads
{
    /// <summary>A request as Google's curl examples write it: snake_case names, and a field Manifold does not model.</summary>
    public const string SnakeCaseRequest = """
        {
          "system_instruction": { "parts": [ { "text": "You are a cat. Your name is Neko." } ] },
          "contents": [ { "role": "user", "parts": [ { "text": "Hello there" } ] } ],
          "generation_config": { "max_output_tokens": 64, "thinking_config": { "thinking_budget": 0 } },
          "x_custom": { "trace": "abc" }
        }
        """;

    public const string TextResponse = """
        {
          "candidates": [
            {
              "content": { "parts": [ { "text": "Meow! Hello, human." } ], "role": "model" },
              "finishReason": "STOP",
              "index": 0
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 16,
            "candidatesTokenCount": 6,
            "totalTokenCount": 22,
            "promptTokensDetails": [ { "modality": "TEXT", "tokenCount": 16 } ]
          },
          "modelVersion": "gemini-2.5-flash",
          "responseId": "cnaGaL6yJP2JnvgPkZ6Q8QI"
        }
        """;

    /// <summary>A streamed answer with thought summaries, a function call carrying its signature, and cumulative usage.</summary>
    public static readonly string[] ThinkingAndToolStream =
    [
        """{"candidates": [{"content": {"parts": [{"text": "**Checking the weather**\n\nThe user wants Paris.","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 74,"totalTokenCount": 125,"thoughtsTokenCount": 51},"modelVersion": "gemini-2.5-flash","responseId": "7naGaJr3A8CInvgP9L7HsQw"}""",
        """{"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather","args": {"location": "Paris, France"}},"thoughtSignature": "CiIBVKhc7oDPDKnzBhJL+Dqbd5WG"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 74,"candidatesTokenCount": 22,"totalTokenCount": 147,"thoughtsTokenCount": 51},"modelVersion": "gemini-2.5-flash","responseId": "7naGaJr3A8CInvgP9L7HsQw"}""",
    ];

    public const string InvalidArgument = """
        {
          "error": {
            "code": 400,
            "message": "* GenerateContentRequest.contents: contents is not specified\n",
            "status": "INVALID_ARGUMENT"
          }
        }
        """;

    public const string KeyInvalid = """
        {
          "error": {
            "code": 400,
            "message": "API key not valid. Please pass a valid API key.",
            "status": "INVALID_ARGUMENT",
            "details": [
              {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": { "service": "generativelanguage.googleapis.com" }
              },
              { "@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US", "message": "API key not valid. Please pass a valid API key." }
            ]
          }
        }
        """;

    public const string QuotaExceeded = """
        {
          "error": {
            "code": 429,
            "message": "You exceeded your current quota, please check your plan and billing details.",
            "status": "RESOURCE_EXHAUSTED",
            "details": [ { "@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "41s" } ]
          }
        }
        """;

    public const string Overloaded = """{"error": {"code": 503,"message": "The model is overloaded. Please try again later.","status": "UNAVAILABLE"}}""";

    public const string ModelsPage1 = """
        {
          "models": [
            { "name": "models/gemini-2.5-flash", "displayName": "Gemini 2.5 Flash", "supportedGenerationMethods": ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"] },
            { "name": "models/gemini-embedding-001", "displayName": "Gemini Embedding 001", "supportedGenerationMethods": ["embedContent", "countTextTokens", "countTokens"] }
          ],
          "nextPageToken": "Chltb2RlbHMvZ2VtaW5pLTIuNS1wcm8"
        }
        """;

    public const string ModelsPage2 = """
        {
          "models": [
            { "name": "models/gemini-2.5-pro", "displayName": "Gemini 2.5 Pro", "supportedGenerationMethods": ["generateContent", "countTokens"] },
            { "name": "models/gemma-3-27b-it", "displayName": "Gemma 3 27B", "supportedGenerationMethods": ["generateContent", "countTokens"] }
          ]
        }
        """;

    public const string Model = """
        { "name": "models/gemini-2.5-flash", "version": "001", "displayName": "Gemini 2.5 Flash", "inputTokenLimit": 1048576, "outputTokenLimit": 65536, "supportedGenerationMethods": ["generateContent"] }
        """;
}
