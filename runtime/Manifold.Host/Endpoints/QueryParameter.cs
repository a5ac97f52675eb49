namespace Manifold.Host.Endpoints;

/// <summary>
/// An <c>in: query</c> parameter of an operation, as its spec declares it, for the served OpenAPI document.
/// <paramref name="Type"/> is the JSON Schema type: <c>string</c>, <c>integer</c> or <c>boolean</c>.
/// </summary>
public sealed record QueryParameter(string Name, string Type, bool Required, string? Description);
