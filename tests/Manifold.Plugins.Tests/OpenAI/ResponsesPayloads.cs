namespace Manifold.Plugins.Tests.OpenAI;

/// <summary>Responses API payloads in the shapes OpenAI's API reference documents, for the fake upstream to answer with.</summary>
internal static class ResponsesPayloads
{
    public const string Response = """
        {
          "id": "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b",
          "object": "response",
          "created_at": 1741476542,
          "status": "completed",
          "error": null,
          "incomplete_details": null,
          "instructions": null,
          "max_output_tokens": null,
          "model": "gpt-4.1-2025-04-14",
          "output": [
            {
              "type": "message",
              "id": "msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b",
              "status": "completed",
              "role": "assistant",
              "content": [
                { "type": "output_text", "text": "In a peaceful grove beneath a silver moon, a unicorn named Lumina discovered a hidden pool.", "annotations": [] }
              ]
            }
          ],
          "parallel_tool_calls": true,
          "previous_response_id": null,
          "reasoning": { "effort": null, "summary": null },
          "store": true,
          "temperature": 1.0,
          "text": { "format": { "type": "text" } },
          "tool_choice": "auto",
          "tools": [],
          "top_p": 1.0,
          "truncation": "disabled",
          "usage": {
            "input_tokens": 36,
            "input_tokens_details": { "cached_tokens": 0 },
            "output_tokens": 87,
            "output_tokens_details": { "reasoning_tokens": 0 },
            "total_tokens": 123
          },
          "user": null,
          "metadata": {}
        }
        """;

    private const string InProgress =
        """{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"in_progress","error":null,"incomplete_details":null,"instructions":"You are a helpful assistant.","max_output_tokens":null,"model":"gpt-4.1-2025-04-14","output":[],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":null,"user":null,"metadata":{}}""";

    private const string Completed =
        """{"id":"resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654","object":"response","created_at":1741290958,"status":"completed","error":null,"incomplete_details":null,"instructions":"You are a helpful assistant.","max_output_tokens":null,"model":"gpt-4.1-2025-04-14","output":[{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi there! How can I assist you today?","annotations":[]}]}],"parallel_tool_calls":true,"previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,"temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,"truncation":"disabled","usage":{"input_tokens":37,"output_tokens":11,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":48,"input_tokens_details":{"cached_tokens":0}},"user":null,"metadata":{}}""";

    /// <summary>The documented stream of a short text answer: each event's name and data.</summary>
    public static readonly (string Name, string Data)[] TextStream =
    [
        ("response.created", $$"""{"type":"response.created","response":{{InProgress}},"sequence_number":0}"""),
        ("response.in_progress", $$"""{"type":"response.in_progress","response":{{InProgress}},"sequence_number":1}"""),
        ("response.output_item.added", """{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"in_progress","role":"assistant","content":[]},"sequence_number":2}"""),
        ("response.content_part.added", """{"type":"response.content_part.added","item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]},"sequence_number":3}"""),
        ("response.output_text.delta", """{"type":"response.output_text.delta","item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"delta":"Hi","logprobs":[],"sequence_number":4}"""),
        ("response.output_text.delta", """{"type":"response.output_text.delta","item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"delta":" there! How can I assist you today?","logprobs":[],"sequence_number":5}"""),
        ("response.output_text.done", """{"type":"response.output_text.done","item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"text":"Hi there! How can I assist you today?","logprobs":[],"sequence_number":6}"""),
        ("response.content_part.done", """{"type":"response.content_part.done","item_id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Hi there! How can I assist you today?","annotations":[]},"sequence_number":7}"""),
        ("response.output_item.done", """{"type":"response.output_item.done","output_index":0,"item":{"id":"msg_67c9fdcf37fc8190ba82116e33fb28c507b8b0ad4e5eb654","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hi there! How can I assist you today?","annotations":[]}]},"sequence_number":8}"""),
        ("response.completed", $$"""{"type":"response.completed","response":{{Completed}},"sequence_number":9}"""),
    ];

    /// <summary>The <c>error</c> event: code, message and param on the event itself.</summary>
    public const string ErrorEvent =
        """{"type":"error","code":"rate_limit_exceeded","message":"Rate limit reached for gpt-4.1 in organization org-abc on tokens per min (TPM): Limit 30000, Used 30000, Requested 120.","param":null,"sequence_number":2}""";

    /// <summary>A response that failed after it started.</summary>
    public const string FailedEvent =
        """{"type":"response.failed","sequence_number":2,"response":{"id":"resp_123","object":"response","created_at":1740855869,"status":"failed","error":{"code":"server_error","message":"The model failed to generate a response."},"incomplete_details":null,"instructions":null,"model":"gpt-4.1-2025-04-14","output":[],"parallel_tool_calls":true,"temperature":1.0,"top_p":1.0,"tool_choice":"auto","tools":[],"metadata":{}}}""";

    public const string InvalidInputError = """
        { "error": { "message": "Invalid type for 'input[0].content': expected one of a string or array of input content, but got an object instead.", "type": "invalid_request_error", "param": "input[0].content", "code": "invalid_type" } }
        """;
}
