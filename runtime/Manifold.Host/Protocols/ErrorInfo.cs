using Manifold.Contracts;

namespace Manifold.Host.Protocols;

/// <summary>A protocol-neutral error; each <see cref="IWireProtocol"/> renders it in its own shape.</summary>
public sealed record ErrorInfo(int Status, string Type, string Message, string? Param = null, string? Code = null)
{
    public static ErrorInfo From(ManifoldException exception) =>
        new(exception.StatusCode, exception.Type, exception.Message, exception.Param, exception.Code);

    public static ErrorInfo BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", message, param, code);

    public static ErrorInfo NotFound(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status404NotFound, "invalid_request_error", message, param, code);
}
