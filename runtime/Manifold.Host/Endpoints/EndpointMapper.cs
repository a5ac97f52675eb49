using Microsoft.OpenApi;

namespace Manifold.Host.Endpoints;

/// <summary>Maps one operation twice: at the root (platform picked by model) and under <c>/{platform}</c>.</summary>
public static class EndpointMapper
{
    public const string PlatformRouteValue = "platform";

    /// <remarks>
    /// The handler is mapped as a <see cref="Delegate"/>, not a <see cref="RequestDelegate"/>: only
    /// delegate endpoints carry the method metadata that puts them into the served OpenAPI document.
    /// </remarks>
    public static void Map(IEndpointRouteBuilder endpoints, OperationDescriptor operation, Func<HttpContext, Task> handler)
    {
        Describe(endpoints.MapMethods(operation.Pattern, [operation.Method], (Delegate)handler), operation)
            .WithName(operation.OperationId);
        Describe(endpoints.MapMethods("/{" + PlatformRouteValue + "}" + operation.Pattern, [operation.Method], (Delegate)handler), operation)
            .WithName(operation.OperationId + "ForPlatform");
    }

    private static RouteHandlerBuilder Describe(RouteHandlerBuilder route, OperationDescriptor operation)
    {
        route.WithMetadata(operation).WithTags(operation.Adapter);
        if (operation.Summary is not null)
        {
            route.WithSummary(operation.Summary);
        }
        if (operation.RequestType is { } requestType)
        {
            // Not .Accepts(): that becomes a routing constraint on Content-Type, and clients that send
            // JSON without saying so (curl -d sends form-urlencoded) would miss the endpoint entirely.
            // The body is read as JSON whatever the header says; only the OpenAPI document learns the type.
            route.AddOpenApiOperationTransformer(async (document, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(requestType, null, cancellationToken);
                document.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            });
        }
        route.Produces(StatusCodes.Status200OK, operation.ResponseType, "application/json");
        if (operation.StreamType is not null)
        {
            route.Produces(StatusCodes.Status200OK, operation.StreamType, "text/event-stream");
        }
        return route;
    }
}
