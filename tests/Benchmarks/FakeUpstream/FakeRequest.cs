using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Manifold.Benchmarks.FakeUpstream;

/// <summary>
/// The few top-level request fields the fake looks at, read with a <see cref="Utf8JsonReader"/> straight
/// over the request pipe's buffer; everything else is skipped unparsed.
/// </summary>
internal struct FakeRequest
{
    // Last model name seen, so an unchanged model is echoed without allocating a string.
    private static ModelName s_lastModel = new(FakeAnswer.DefaultModel);

    public string Model;
    public bool Stream;
    public bool IncludeUsage; // stream_options.include_usage (OpenAI)
    public bool HasMessages;
    public bool HasMaxTokens;
    public int PromptTokens;

    /// <summary>
    /// Reads the whole body and parses it. Returns false when the body is not a JSON object; the body is
    /// consumed either way.
    /// </summary>
    public static async ValueTask<(bool Ok, FakeRequest Request)> ReadAsync(PipeReader reader, CancellationToken ct)
    {
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(ct);
            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }

            // Keep everything buffered until the whole body is in.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var body = read.Buffer;
        var request = new FakeRequest { Model = FakeAnswer.DefaultModel, PromptTokens = FakeAnswer.PromptTokens(body.Length) };
        var ok = request.TryParse(body);
        reader.AdvanceTo(body.End);
        return (ok, request);
    }

    private bool TryParse(ReadOnlySequence<byte> body)
    {
        try
        {
            var r = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                if (r.ValueTextEquals("model"u8))
                {
                    r.Read();
                    if (r.TokenType == JsonTokenType.String)
                    {
                        Model = ReadModel(ref r);
                    }
                }
                else if (r.ValueTextEquals("stream"u8))
                {
                    r.Read();
                    Stream = r.TokenType == JsonTokenType.True;
                }
                else if (r.ValueTextEquals("messages"u8))
                {
                    r.Read();
                    HasMessages = r.TokenType == JsonTokenType.StartArray;
                    r.Skip();
                }
                else if (r.ValueTextEquals("max_tokens"u8))
                {
                    r.Read();
                    HasMaxTokens = r.TokenType == JsonTokenType.Number;
                }
                else if (r.ValueTextEquals("stream_options"u8))
                {
                    r.Read();
                    IncludeUsage = ReadIncludeUsage(ref r);
                }
                else
                {
                    r.Read();
                    r.Skip();
                }
            }

            return r.TokenType == JsonTokenType.EndObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string ReadModel(ref Utf8JsonReader r)
    {
        var last = s_lastModel;
        if (r.ValueTextEquals(last.Utf8))
        {
            return last.Value;
        }

        var model = r.GetString() ?? FakeAnswer.DefaultModel;
        s_lastModel = new ModelName(model);
        return model;
    }

    private static bool ReadIncludeUsage(ref Utf8JsonReader r)
    {
        var includeUsage = false;
        if (r.TokenType != JsonTokenType.StartObject)
        {
            r.Skip();
            return false;
        }

        var depth = r.CurrentDepth;
        while (r.Read() && !(r.TokenType == JsonTokenType.EndObject && r.CurrentDepth == depth))
        {
            if (r.TokenType == JsonTokenType.PropertyName && r.CurrentDepth == depth + 1 && r.ValueTextEquals("include_usage"u8))
            {
                r.Read();
                includeUsage = r.TokenType == JsonTokenType.True;
            }
            else
            {
                r.Skip();
            }
        }

        return includeUsage;
    }

    /// <summary>A model name with its UTF-8 bytes, swapped atomically as one reference.</summary>
    private sealed class ModelName(string value)
    {
        public string Value { get; } = value;

        public byte[] Utf8 { get; } = System.Text.Encoding.UTF8.GetBytes(value);
    }
}
