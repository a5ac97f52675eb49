using Microsoft.OpenApi;

namespace Manifold.Host.Endpoints;

/// <summary>
/// Maps each route of one operation (its pattern and every alias) twice: at the root (platform picked by
/// model) and under <c>/{platform}</c>.
/// </summary>
public static class EndpointMapper
{
    public const string PlatformRouteValue = "platform";

    /// <remarks>
    /// The handler is mapped as a <see cref="Delegate"/>, not a <see cref="RequestDelegate"/>: only
    /// delegate endpoints carry the method metadata that puts them into the served OpenAPI document.
    /// Endpoint names must be unique (they are the OpenAPI operationIds), hence the Alias{n} suffixes.
    /// </remarks>
    public static void Map(IEndpointRouteBuilder endpoints, OperationDescriptor operation, Func<HttpContext, Task> handler)
    {
        MapRoute(endpoints, operation, operation.Pattern, operation.OperationId, handler);
        for (var i = 0; i < operation.Aliases.Count; i++)
        {
            MapRoute(endpoints, operation, operation.Aliases[i], $"{operation.OperationId}Alias{i + 1}", handler);
        }
    }

    private static void MapRoute(IEndpointRouteBuilder endpoints, OperationDescriptor operation, string pattern, string name, Func<HttpContext, Task> handler)
    {
        Describe(endpoints.MapMethods(pattern, [operation.Method], (Delegate)handler), operation)
            .WithName(name);
        Describe(endpoints.MapMethods("/{" + PlatformRouteValue + "}" + pattern, [operation.Method], (Delegate)handler), operation)
            .WithName(name + "ForPlatform");
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
                var content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } };
                if (operation.Form is { } form)
                {
                    // The same fields as text parts, and the file parts the form takes.
                    var parts = new OpenApiSchema { Type = JsonSchemaType.Object, AllOf = [schema], Properties = new Dictionary<string, IOpenApiSchema>() };
                    foreach (var file in form.Files)
                    {
                        parts.Properties[file] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                    }
                    content["multipart/form-data"] = new() { Schema = parts };
                }
                document.RequestBody = new OpenApiRequestBody { Required = true, Content = content };
            });
        }
        if (operation.Query.Count > 0)
        {
            route.AddOpenApiOperationTransformer((document, context, cancellationToken) =>
            {
                document.Parameters ??= [];
                foreach (var parameter in operation.Query)
                {
                    document.Parameters.Add(new OpenApiParameter
                    {
                        Name = parameter.Name,
                        In = ParameterLocation.Query,
                        Required = parameter.Required,
                        Description = parameter.Description,
                        Schema = new OpenApiSchema { Type = parameter.Type switch { "integer" => JsonSchemaType.Integer, "boolean" => JsonSchemaType.Boolean, _ => JsonSchemaType.String } },
                    });
                }
                return Task.CompletedTask;
            });
        }
        if (operation.ResponseType is { } responseType)
        {
            route.Produces(operation.SuccessStatus, responseType, "application/json");
        }
        if (operation.BinaryResponse)
        {
            route.Produces(operation.SuccessStatus, typeof(Stream), "application/octet-stream");
        }
        if (operation.StreamType is not null)
        {
            route.Produces(StatusCodes.Status200OK, operation.StreamType, "text/event-stream");
        }
        return route;
    }
}
