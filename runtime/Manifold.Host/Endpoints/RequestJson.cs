using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Manifold.Contracts;

namespace Manifold.Host.Endpoints;

/// <summary>
/// The serializer options request bodies are read with: <see cref="ManifoldJson.Options"/> plus the checks that make hostile
/// input a 400 naming its field at the one parse every request already has, before a platform is chosen (so a platform is
/// never blamed for what the client sent). System.Text.Json itself refuses malformed JSON, nesting past 64 levels, integers
/// that overflow and typed strings that are not valid Unicode; what it lets through, and what used to reach an upstream
/// call and fail there as a 502, is refused here:
/// <list type="bullet">
/// <item><c>1e400</c> reads as an infinite double, which no writer can send on (<see cref="FiniteDouble"/>);</item>
/// <item>free-form JSON (unknown fields, tool schemas, arguments) is kept as raw bytes, unchecked: a lone surrogate
/// (<c>"\ud800"</c>) or invalid UTF-8 in it failed only when the request was written upstream (<see cref="CheckedElement"/>).</item>
/// </list>
/// Ranges (temperature, token counts) are the specs' <c>minimum</c>/<c>maximum</c>, checked by the DTOs' <c>Validate()</c>.
/// Upstream answers are still read with <see cref="ManifoldJson.Options"/>: these checks are for what clients send.
/// </summary>
internal static class RequestJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(ManifoldJson.Options);
        options.Converters.Add(new FiniteDouble());
        options.Converters.Add(new CheckedElement());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>A double that must be finite: JSON has no infinity, and a number too large for a double is not one the client meant.</summary>
    private sealed class FiniteDouble : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                // The serializer's own message for the wrong type ("could not be converted to System.Double").
                throw new JsonException($"The JSON value could not be converted to {typeof(double)}.");
            }
            var value = reader.GetDouble();
            return double.IsFinite(value) ? value : throw new InvalidNumberException();
        }

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    /// <summary>
    /// Free-form JSON, checked for what the reader does not check until a string is decoded: each string and property name
    /// in it must be valid Unicode. Unescaped strings are validated as UTF-8 in place; only escaped ones (rare) are decoded.
    /// The walk runs on a copy of the reader over bytes already in memory, then the element is parsed as before.
    /// </summary>
    private sealed class CheckedElement : JsonConverter<JsonElement>
    {
        public override JsonElement Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var walk = reader;
            try
            {
                Check(ref walk);
            }
            catch (InvalidRequestValueException ex)
            {
                // The serializer knows the path to this element, not inside it: the failing token's path is found by a
                // second walk, on this failure path only.
                ex.Within = PathTo(reader, walk.TokenStartIndex);
                throw;
            }
            return JsonElement.ParseValue(ref reader);
        }

        /// <summary>The path, relative to the element at <paramref name="reader"/>, of the token that starts at <paramref name="position"/>.</summary>
        private static string? PathTo(Utf8JsonReader reader, long position)
        {
            // Per open container: an array's current index, or an object's current property name.
            var frames = new List<(bool IsArray, int Index, string? Name)>();
            do
            {
                if (frames.Count > 0 && frames[^1].IsArray && reader.TokenType is not (JsonTokenType.EndArray or JsonTokenType.EndObject))
                {
                    frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
                }
                if (reader.TokenStartIndex >= position)
                {
                    break;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        frames.Add((false, -1, null));
                        break;
                    case JsonTokenType.StartArray:
                        frames.Add((true, -1, null));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        // Lenient on purpose: the name itself may be what is broken.
                        frames[^1] = frames[^1] with { Name = System.Text.Encoding.UTF8.GetString(reader.ValueSpan) };
                        break;
                }
            }
            while (reader.Read());
            return Join(frames);
        }

        private static string? Join(List<(bool IsArray, int Index, string? Name)> frames)
        {
            var path = new System.Text.StringBuilder();
            foreach (var (isArray, index, name) in frames)
            {
                if (isArray && index >= 0)
                {
                    path.Append('[').Append(index).Append(']');
                }
                else if (!isArray && name is not null)
                {
                    path.Append(path.Length == 0 ? string.Empty : ".").Append(name);
                }
            }
            return path.Length == 0 ? null : path.ToString();
        }

        public override void Write(Utf8JsonWriter writer, JsonElement value, JsonSerializerOptions options) => value.WriteTo(writer);

        private static void Check(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                CheckToken(ref reader);
                return;
            }
            // The container's end token is at its start's depth: everything deeper is inside it.
            var depth = reader.CurrentDepth;
            while (reader.Read() && reader.CurrentDepth > depth)
            {
                CheckToken(ref reader);
            }
        }

        private static void CheckToken(ref Utf8JsonReader reader)
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
            {
                CheckString(ref reader);
            }
            else if (reader.TokenType == JsonTokenType.Number && !double.IsFinite(reader.GetDouble()))
            {
                throw new InvalidNumberException();
            }
        }

        private static void CheckString(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                if (!Utf8.IsValid(reader.ValueSpan))
                {
                    throw new InvalidUnicodeException();
                }
                return;
            }
            try
            {
                // Decoding throws on a lone surrogate escape or invalid UTF-8 (InvalidOperationException).
                _ = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                throw new InvalidUnicodeException();
            }
        }
    }
}

/// <summary>A value no field can take, found inside free-form JSON, whose path within it is <see cref="Within"/>.</summary>
internal abstract class InvalidRequestValueException(string message) : JsonException(message)
{
    /// <summary>The path inside the element the serializer's own path ends at (<c>deep[0]</c>, <c>limits.rpm</c>); null for the element itself.</summary>
    public string? Within { get; set; }
}

/// <summary>A string in a request that is not valid Unicode: a lone surrogate escape (<c>\ud800</c>) or invalid UTF-8 bytes.</summary>
internal sealed class InvalidUnicodeException() : InvalidRequestValueException("The value is not valid Unicode: it holds a lone surrogate (such as \\ud800) or invalid UTF-8 bytes.");

/// <summary>A number in a request too large for a double (<c>1e400</c>): JSON numbers must be finite.</summary>
internal sealed class InvalidNumberException() : InvalidRequestValueException("The value is not a finite number (too large for a 64-bit float).");
