using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Manifold.Contracts;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Binds a form's text fields (all strings) to a request DTO: each value becomes the JSON its property's type expects
/// (<c>"5"</c> a number for an integer, <c>"true"</c> a boolean, a JSON text for free-form JSON), read from the DTO's
/// serialization contract, so a form and a JSON body reach the adapter as the same object and are validated alike.
/// </summary>
internal static class FormBinder
{
    public static object? Bind(JsonObject fields, Type type)
    {
        Coerce(fields, type, string.Empty);
        return fields.Deserialize(type, ManifoldJson.Options);
    }

    private static void Coerce(JsonObject fields, Type type, string path)
    {
        var contract = ManifoldJson.Options.GetTypeInfo(type);
        if (contract.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }
        foreach (var property in contract.Properties)
        {
            if (fields[property.Name] is { } value)
            {
                fields[property.Name] = CoerceValue(value, property.PropertyType, path + property.Name);
            }
        }
    }

    private static JsonNode? CoerceValue(JsonNode value, Type type, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        switch (value)
        {
            case JsonObject child:
                Coerce(child, type, path + ".");
                return child;
            case JsonArray array when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>):
                var item = type.GetGenericArguments()[0];
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = array[i] is { } element ? CoerceValue(element.DeepClone(), item, $"{path}[{i}]") : null;
                }
                return array;
            case JsonValue text when text.TryGetValue<string>(out var raw):
                return Parse(raw, type, path);
            default:
                return value;
        }
    }

    private static JsonNode? Parse(string raw, Type type, string path)
    {
        if (type == typeof(string))
        {
            return raw;
        }
        if (type == typeof(long) || type == typeof(int))
        {
            return long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new FormException(StatusCodes.Status400BadRequest, $"'{path}' must be an integer, not '{Truncate(raw)}'.", path);
        }
        if (type == typeof(double))
        {
            return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? number
                : throw new FormException(StatusCodes.Status400BadRequest, $"'{path}' must be a number, not '{Truncate(raw)}'.", path);
        }
        if (type == typeof(bool))
        {
            return bool.TryParse(raw, out var flag)
                ? flag
                : throw new FormException(StatusCodes.Status400BadRequest, $"'{path}' must be true or false, not '{Truncate(raw)}'.", path);
        }
        // Free-form JSON, a union or an object sent as text: the part holds JSON (as curl users write -F 'x={"a":1}').
        try
        {
            return JsonNode.Parse(raw);
        }
        catch (JsonException)
        {
            return raw;
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
