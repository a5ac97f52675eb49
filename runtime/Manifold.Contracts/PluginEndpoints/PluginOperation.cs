namespace Manifold.Contracts;

/// <summary>
/// One operation of a plugin's spec, as the plugin's generated code describes it to the host: where it is served, its JSON
/// types, and (in <see cref="PluginOperation{TAdapter}"/>) how to call the adapter. The host maps it at the root and under
/// <c>/{platform}</c> and serves it as it serves its own specs' operations: licence, platform by name or by model, accounts
/// and retries, errors and streams in <see cref="Protocol"/>'s shape.
/// </summary>
/// <remarks>
/// Members are init-only properties rather than constructor parameters, so that later versions can add optional ones without
/// breaking plugins compiled against this one.
/// </remarks>
public abstract class PluginOperation
{
    // Only PluginOperation<TAdapter> derives: the host relies on reaching every operation through Accept.
    private protected PluginOperation()
    {
    }

    /// <summary>The spec's <c>operationId</c>; also the endpoint's name and its OpenAPI operationId, unique across the gateway.</summary>
    public required string OperationId { get; init; }

    /// <summary>The spec's <c>x-manifold.protocol</c>: the shape of errors and the framing of streams (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>, …).</summary>
    public required string Protocol { get; init; }

    /// <summary>The spec's <c>x-manifold.adapter</c>; groups the operation in the OpenAPI document.</summary>
    public required string Adapter { get; init; }

    /// <summary>The HTTP method, upper case.</summary>
    public required string Method { get; init; }

    /// <summary>The route pattern at the root (<c>/v1/rerank</c>); the host also serves it under <c>/{platform}</c>.</summary>
    public required string Pattern { get; init; }

    /// <summary>More route patterns served alike, with the same path parameters as <see cref="Pattern"/>.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Summary { get; init; }

    /// <summary>The JSON request body's DTO (an <see cref="IValidatable"/>); null when the operation takes no body.</summary>
    public Type? RequestType { get; init; }

    /// <summary>The JSON answer's DTO; null for an operation that always streams.</summary>
    public Type? ResponseType { get; init; }

    /// <summary>The type of each streamed event; null for an operation that never streams.</summary>
    public Type? StreamType { get; init; }

    /// <summary>The status of a successful JSON answer, as the API documents it.</summary>
    public int SuccessStatus { get; init; } = 200;

    /// <summary>The adapter interface a platform implements to serve this operation.</summary>
    public abstract Type AdapterType { get; }

    /// <summary>Calls <paramref name="visitor"/> with the adapter type as a type argument.</summary>
    public abstract TResult Accept<TResult>(IPluginOperationVisitor<TResult> visitor);
}

/// <summary>A <see cref="PluginOperation"/> served by platforms implementing <typeparamref name="TAdapter"/>.</summary>
public sealed class PluginOperation<TAdapter> : PluginOperation
    where TAdapter : class
{
    /// <summary>
    /// The model the call names (from the body or a path parameter, as <c>x-manifold-route-by</c> says): at the root it picks
    /// the platform among those implementing <typeparamref name="TAdapter"/>.
    /// </summary>
    public required Func<OperationArguments, string?> Model { get; init; }

    /// <summary>The path parameter that names the model, when it is one; the host puts the model there as the platform knows it.</summary>
    public string? ModelParameter { get; init; }

    /// <summary>Calls the adapter for a JSON answer (of <see cref="PluginOperation.ResponseType"/>); null for an operation that always streams.</summary>
    public Func<TAdapter, OperationArguments, AdapterContext, CancellationToken, Task<object>>? Respond { get; init; }

    /// <summary>Opens the adapter's stream of events (of <see cref="PluginOperation.StreamType"/>); null for an operation that never streams.</summary>
    public Func<TAdapter, OperationArguments, AdapterContext, CancellationToken, IAsyncEnumerable<object>>? Stream { get; init; }

    /// <summary>
    /// Whether this call asks for a stream (<c>x-manifold-stream: { when: … }</c>), for an operation that has both
    /// <see cref="Respond"/> and <see cref="Stream"/>.
    /// </summary>
    public Func<OperationArguments, bool>? Streams { get; init; }

    public override Type AdapterType => typeof(TAdapter);

    public override TResult Accept<TResult>(IPluginOperationVisitor<TResult> visitor) => visitor.Visit(this);
}
