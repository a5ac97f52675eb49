using System.Buffers;
using System.Text.Json;
using Manifold.Contracts;
using Manifold.Contracts.Gemini;

namespace Manifold.Host.Protocols;

/// <summary>
/// The Gemini API's wire conventions. Errors are Google's <c>{"error":{"code","message","status"}}</c>, with the
/// HTTP status as <c>code</c> and the canonical status name that Google's HTTP mapping gives it. Streams
/// (<c>streamGenerateContent</c>) are framed by the request: with <c>?alt=sse</c> as server-sent events
/// (<c>data: {json}</c>, no end marker), as every SDK asks; without it as one JSON array written element by
/// element, which is what the API answers to plain REST calls.
/// </summary>
public sealed class GeminiWireProtocol : IWireProtocol
{
    public static GeminiWireProtocol Instance { get; } = new();

    public string Name => "gemini";

    public void WriteError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
    {
        json.Reset(output);
        WriteErrorObject(json, error);
        json.Flush();
    }

    public IStreamFraming BeginStream(HttpRequest request) =>
        string.Equals(request.Query["alt"].ToString(), "sse", StringComparison.OrdinalIgnoreCase) ? SseFraming.Instance : new JsonArrayFraming();

    /// <summary>
    /// Google's SDKs present the key as <c>x-goog-api-key</c> (curl examples as <c>?key=</c>) and never send
    /// <c>Authorization</c>; an OpenAI or Anthropic client presents its key otherwise.
    /// </summary>
    public bool IsClient(HttpRequest request) =>
        !request.Headers.ContainsKey("Authorization")
        && (request.Headers.ContainsKey("x-goog-api-key") || (request.QueryString.HasValue && request.Query.ContainsKey("key")));

    /// <summary>
    /// The Gemini API's own versions (<c>/v1beta</c>, <c>/v1alpha</c>), Vertex AI's (<c>/v1beta1</c>, <c>/v1/publishers/…</c>), and under <c>/v1</c>, which OpenAI shares, a model
    /// method: <c>/v1/models/{model}:{method}</c>. A colon in a <c>GET /v1/models/{id}</c> is an OpenAI fine-tune id, but that
    /// path is served, so it never arrives here.
    /// </summary>
    public bool OwnsPath(string path)
    {
        if (IsUnder(path, "/v1beta") || IsUnder(path, "/v1alpha"))
        {
            return true;
        }
        // Vertex AI's paths, as @google/genai sends them in Vertex mode (videos, Imagen).
        if (IsUnder(path, "/v1beta1") || path.StartsWith("/v1/publishers/", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        const string Models = "/v1/models/";
        return path.StartsWith(Models, StringComparison.OrdinalIgnoreCase)
            && path.AsSpan(Models.Length) is var resource && resource.IndexOf('/') < 0 && resource.IndexOf(':') > 0;
    }

    /// <summary>Gemini names a model as its resource, <c>models/{id}</c>; a client may put that in the path too.</summary>
    public string ModelOf(string named) => GeminiModelResources.IdOf(named);

    private static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] == '/');

    /// <summary>
    /// The error's canonical status name: the upstream's own when it gave one (the gemini plugin keeps it as the error's
    /// code), which says more than the status alone (FAILED_PRECONDITION and OUT_OF_RANGE are 400s too), else the one
    /// Google's HTTP mapping gives its status.
    /// </summary>
    public static string StatusName(ErrorInfo error) =>
        GoogleRpcCodes.IsErrorName(error.Code) ? error.Code! : GoogleRpcCodes.ForStatus(error.Status);

    private static void WriteErrorObject(Utf8JsonWriter json, ErrorInfo error)
    {
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteNumber("code", error.Status);
        json.WriteString("message", error.Message);
        json.WriteString("status", StatusName(error));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary><c>data: {json}</c> events separated by CRLF CRLF, as the API sends them; the body's end ends the stream.</summary>
    private sealed class SseFraming : IStreamFraming
    {
        public static SseFraming Instance { get; } = new();

        public string ContentType => "text/event-stream";

        public void WriteStart(IBufferWriter<byte> output)
        {
        }

        public void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value) =>
            SseWriter.WriteData(output, json, value, "\r\n\r\n"u8);

        public void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
        {
            // The API reports a failure after the 200 as one more event holding its usual error object.
            output.Write("data: "u8);
            json.Reset(output);
            WriteErrorObject(json, error);
            json.Flush();
            output.Write("\r\n\r\n"u8);
        }

        public void WriteStreamEnd(IBufferWriter<byte> output)
        {
        }
    }

    /// <summary>
    /// One JSON array, <c>[</c> first, each chunk as an element as soon as it exists, <c>]</c> last: a client that
    /// parses incrementally sees each chunk on arrival, and the whole body is valid JSON. A failure after the start
    /// is the last element, so the body still parses.
    /// </summary>
    private sealed class JsonArrayFraming : IStreamFraming
    {
        private bool _hasElement;

        public string ContentType => "application/json; charset=UTF-8";

        public void WriteStart(IBufferWriter<byte> output) => output.Write("["u8);

        public void WriteEvent<T>(IBufferWriter<byte> output, Utf8JsonWriter json, T value)
        {
            Separate(output);
            json.Reset(output);
            JsonSerializer.Serialize(json, value, ManifoldJson.Options);
            json.Flush();
        }

        public void WriteStreamError(IBufferWriter<byte> output, Utf8JsonWriter json, ErrorInfo error)
        {
            Separate(output);
            json.Reset(output);
            WriteErrorObject(json, error);
            json.Flush();
            output.Write("]"u8);
        }

        public void WriteStreamEnd(IBufferWriter<byte> output) => output.Write("]"u8);

        private void Separate(IBufferWriter<byte> output)
        {
            if (_hasElement)
            {
                output.Write(",\r\n"u8);
            }
            _hasElement = true;
        }
    }
}
