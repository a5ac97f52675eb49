using Manifold.Contracts.Gemini;

namespace Manifold.Conversion.Gemini;

/// <summary>
/// Gemini's function calls may come without ids (the API matches responses to calls by name and order); every
/// other protocol needs them. Calls without an id get <c>{prefix}{n}</c>, unique among the ids in sight, and a
/// <c>functionResponse</c> without an id answers the oldest unanswered call of the same name.
/// <list type="bullet">
/// <item>In a request the prefix is <c>call_</c>: the ids only have to agree within that one request.</item>
/// <item>In an answer it is <c>call_{responseId}_</c>: a client keeps the ids in its history, so ids from different
/// turns must not collide.</item>
/// </list>
/// </summary>
internal sealed class GeminiToolCallIds(string prefix, IEnumerable<string>? taken = null)
{
    private readonly HashSet<string> _taken = taken is null ? new(StringComparer.Ordinal) : new(taken, StringComparer.Ordinal);
    private readonly List<(string Id, string Name)> _unanswered = [];
    private int _next;

    /// <summary>The ids for one request: every explicit call id in it is reserved first.</summary>
    public static GeminiToolCallIds ForRequest(GenerateContentRequest request)
    {
        var explicitIds = new List<string>();
        foreach (var content in request.Contents)
        {
            foreach (var part in content?.Parts ?? [])
            {
                if (part?.FunctionCall?.Id is { Length: > 0 } id)
                {
                    explicitIds.Add(id);
                }
            }
        }
        return new GeminiToolCallIds("call_", explicitIds);
    }

    /// <summary>The ids for one answer (complete or streamed), unique across the turns of a conversation.</summary>
    public static GeminiToolCallIds ForResponse(string? responseId)
    {
        Span<char> safe = stackalloc char[Math.Min(responseId?.Length ?? 0, 48)];
        var length = 0;
        foreach (var c in (responseId ?? string.Empty).AsSpan(0, safe.Length))
        {
            // Anthropic accepts only [A-Za-z0-9_-] in tool ids.
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                safe[length++] = c;
            }
        }
        var unique = length > 0 ? safe[..length].ToString() : Guid.NewGuid().ToString("N")[..16];
        return new GeminiToolCallIds("call_" + unique + "_");
    }

    /// <summary>An id for an answer that came without <c>responseId</c>.</summary>
    public static string NewResponseId() => Guid.NewGuid().ToString("N")[..24];

    /// <summary>The id of a function call: its own, or a new one.</summary>
    public string ForCall(FunctionCall call)
    {
        var id = call.Id is { Length: > 0 } own ? own : Next();
        _taken.Add(id);
        _unanswered.Add((id, call.Name));
        return id;
    }

    /// <summary>The id of the call a function response answers; null when no earlier call matches it.</summary>
    public string? ForResponse(FunctionResponse response)
    {
        var index = response.Id is { Length: > 0 } id
            ? _unanswered.FindIndex(c => c.Id == id)
            : _unanswered.FindIndex(c => c.Name == response.Name);
        if (index >= 0)
        {
            var call = _unanswered[index];
            _unanswered.RemoveAt(index);
            return call.Id;
        }
        // An explicit id that answers nothing in this history may answer a call the client trimmed; it is still an id.
        return response.Id is { Length: > 0 } ownId ? ownId : null;
    }

    private string Next()
    {
        string id;
        do
        {
            id = prefix + _next++.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        while (_taken.Contains(id));
        return id;
    }
}
