using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Manifold.Host.Endpoints;

namespace Manifold.Host.Admin;

/// <summary>The admin API's JSON: snake_case names as declared on each type, nulls written (a cleared limit reads as null).</summary>
internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The request's body as a JSON object; null when it is not one (the caller answers a 400 that says what to send).</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken) =>
        (await ReadAsync(request, cancellationToken)).Object;

    /// <summary>
    /// The request's body as a JSON object, checked as gateway bodies are (<see cref="RequestJson"/>): a value that is not
    /// valid Unicode or not a finite number is <see cref="AdminBody.Invalid"/>, a 400 naming it, instead of an exception
    /// when the field is read. Otherwise a body that is not a JSON object has neither, and the caller says what to send.
    /// </summary>
    public static async Task<AdminBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        try
        {
            // Strings that are not UTF-8 fail the parse, by field; anywhere else (a property name), this check does.
            var element = JsonSerializer.Deserialize<JsonElement>(bytes.Span, RequestJson.Options);
            if (!Utf8.IsValid(bytes.Span))
            {
                throw new InvalidUnicodeException();
            }
            return new(element.ValueKind == JsonValueKind.Object ? JsonObject.Create(element) : null, null);
        }
        catch (JsonException ex) when (ex is InvalidUnicodeException or InvalidNumberException)
        {
            return new(null, AdminErrors.BadRequest(JsonErrorMessages.Describe(ex), JsonErrorMessages.Param(ex)));
        }
        catch (JsonException)
        {
            return new(null, null);
        }
    }
}

/// <summary>An admin request's body: the object, or the 400 for a value in it that no field can take (else neither).</summary>
internal readonly record struct AdminBody(JsonObject? Object, IResult? Invalid);
