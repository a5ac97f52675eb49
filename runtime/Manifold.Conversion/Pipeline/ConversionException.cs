using Manifold.Contracts;

namespace Manifold.Conversion.Pipeline;

/// <summary>
/// The request asks for something the target protocol cannot express. Becomes a 400 naming the field,
/// in the caller's error shape, before anything is sent upstream: never a silent drop.
/// </summary>
public sealed class ConversionException(string param, string message)
    : ManifoldException(400, "invalid_request_error", message, param, "unsupported_parameter")
{
    /// <summary>A field of the caller's request that <paramref name="target"/> has no way to carry.</summary>
    public static ConversionException Unsupported(string param, string target, string? detail = null) =>
        new(param, $"'{param}' is not supported when this request is served by {target}{(detail is null ? "." : ": " + detail)}");
}
