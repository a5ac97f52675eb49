using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Contracts;

namespace Manifold.Conversion.Tests.Chat;

/// <summary>DTOs from and to JSON text, with the serializer options the host uses on the wire.</summary>
internal static class ChatJson
{
    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ManifoldJson.Options)!;

    public static JsonNode Node<T>(T value) => JsonSerializer.SerializeToNode(value, ManifoldJson.Options)!;

    public static string Text<T>(T value) => JsonSerializer.Serialize(value, ManifoldJson.Options);
}
