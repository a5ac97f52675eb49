using System.Text.Json;

namespace Manifold.Host.Endpoints;

/// <summary>Turns System.Text.Json's exceptions into messages a client can act on, in JSON terms, not CLR ones.</summary>
internal static class JsonErrorMessages
{
    /// <summary>The JSON path of the failure without the leading <c>$.</c>, or null for the whole body.</summary>
    public static string? Param(JsonException exception)
    {
        // A union's converter reads its member with a nested Deserialize, whose path starts again at '$' and which the
        // converter wraps (see the generator's union converter): the outer path, then each nested one, is the full path.
        var path = exception.Path ?? string.Empty;
        for (var inner = exception.InnerException as JsonException; inner is not null; inner = inner.InnerException as JsonException)
        {
            if (inner.Path is { Length: > 1 } nested)
            {
                path = (path.Length == 0 ? "$" : path) + nested[1..];
            }
        }
        // Inside free-form JSON, where the serializer's path ends (RequestJson).
        if (Leaf(exception) is InvalidRequestValueException { Within: { } within })
        {
            path = (path.Length == 0 ? "$" : path) + (within.StartsWith('[') ? within : "." + within);
        }
        if (path.Length == 0 || path == "$")
        {
            return null;
        }
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    /// <summary>The innermost failure: a union wraps its member's, whose message says what was wrong.</summary>
    private static JsonException Leaf(JsonException exception)
    {
        while (exception.InnerException is JsonException inner)
        {
            exception = inner;
        }
        return exception;
    }

    public static string Describe(JsonException exception)
    {
        var param = Param(exception);
        exception = Leaf(exception);
        var field = param is null ? "The request body" : $"Invalid value for '{param}'";
        if (IsInvalidUnicode(exception))
        {
            return $"{field}: not valid Unicode (a lone surrogate such as \\ud800, or invalid UTF-8 bytes).";
        }
        if (exception is InvalidNumberException)
        {
            return $"{field}: not a finite number (too large for a 64-bit float).";
        }
        var message = exception.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }
        if (message.StartsWith("The JSON value could not be converted to ", StringComparison.Ordinal))
        {
            var expected = JsonKind(message["The JSON value could not be converted to ".Length..].TrimEnd('.'));
            return param is null
                ? $"The request body must be {expected}."
                : $"Invalid type for '{param}': expected {expected}.";
        }
        var where = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
        return param is null
            ? $"The request body is not valid JSON{where}: {message}"
            : $"Invalid value for '{param}'{where}: {message}";
    }

    /// <summary>
    /// Ours (<see cref="InvalidUnicodeException"/>, from free-form JSON), or the serializer's own when it decodes a typed
    /// string: it reports the reader's InvalidOperationException as "could not be converted to System.String", which
    /// would tell the client it sent the wrong type.
    /// </summary>
    private static bool IsInvalidUnicode(JsonException exception) =>
        exception is InvalidUnicodeException
        || exception.InnerException is InvalidOperationException { Message: var inner }
            && (inner.Contains("UTF-16", StringComparison.Ordinal) || inner.Contains("UTF-8", StringComparison.Ordinal));

    private static string JsonKind(string clrType) => clrType switch
    {
        _ when clrType.Contains("System.String", StringComparison.Ordinal) => "a string",
        _ when clrType.Contains("System.Int64", StringComparison.Ordinal) || clrType.Contains("System.Int32", StringComparison.Ordinal) => "an integer",
        _ when clrType.Contains("System.Double", StringComparison.Ordinal) => "a number",
        _ when clrType.Contains("System.Boolean", StringComparison.Ordinal) => "a boolean",
        _ when clrType.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
        _ when clrType.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "an object",
        _ => "an object",
    };
}
