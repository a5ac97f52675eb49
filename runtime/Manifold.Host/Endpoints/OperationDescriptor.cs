namespace Manifold.Host.Endpoints;

/// <summary>
/// What generated code knows about one operation. It is also endpoint metadata: middleware reads it to
/// know that an endpoint is a gateway operation (licence required) and which protocol's error shape to use.
/// <see cref="ResponseType"/> is null for an operation that always streams (<see cref="StreamType"/> events).
/// </summary>
public sealed record OperationDescriptor(
    string OperationId,
    string Protocol,
    string Adapter,
    string Method,
    string Pattern,
    string? Summary,
    Type? RequestType,
    Type? ResponseType,
    Type? StreamType)
{
    /// <summary>More route patterns served by the same handler, with the same path parameters as <see cref="Pattern"/>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The operation's query parameters, for the OpenAPI document (handlers read them through <see cref="EndpointCall.Query"/>).</summary>
    public IReadOnlyList<QueryParameter> Query { get; init; } = [];

    /// <summary>Set when the body may also be <c>multipart/form-data</c>; names the file parts it takes.</summary>
    public FormDescriptor? Form { get; init; }

    /// <summary>The answer is bytes (a video, an image), not JSON.</summary>
    public bool BinaryResponse { get; init; }

    /// <summary>The status of a successful answer, as the API documents it.</summary>
    public int SuccessStatus { get; init; } = StatusCodes.Status200OK;
}
