using Manifold.Host.Licences;
using Manifold.Host.Platforms;

namespace Manifold.Host.Admin;

/// <summary>
/// <c>/admin/api/licences</c>: create (the key is in that answer only), list and read (never keys), change name and
/// policy, and revoke (DELETE; permanent, and immediate on this node).
/// </summary>
internal static class AdminLicenceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var licences = api.MapGroup("/licences").WithTags("Licences");
        licences.MapPost("", CreateAsync)
            .Accepts<LicenceBody>("application/json")
            .Produces<CreatedLicenceView>(StatusCodes.Status201Created)
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .WithSummary("Creates a licence; the answer holds its key, shown this once.");
        licences.MapGet("", ListAsync)
            .Produces<AdminList<LicenceView>>()
            .WithSummary("Every licence, revoked ones included, oldest first; never their keys.");
        licences.MapGet("/{id:long}", GetAsync)
            .Produces<LicenceView>()
            .Produces<AdminError>(StatusCodes.Status404NotFound)
            .WithSummary("One licence.");
        licences.MapPatch("/{id:long}", UpdateAsync)
            .Accepts<LicenceBody>("application/json")
            .Produces<LicenceView>()
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .Produces<AdminError>(StatusCodes.Status404NotFound)
            .WithSummary("Changes an active licence: the fields sent replace its own, and null clears one (no restriction).");
        licences.MapDelete("/{id:long}", RevokeAsync)
            .Produces<LicenceView>()
            .Produces<AdminError>(StatusCodes.Status404NotFound)
            .WithSummary("Revokes a licence, at once and for good.");
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ILicenceStore store, PlatformRegistry platforms, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await AdminJson.ReadAsync(request, cancellationToken);
        if (read.Object is not { } body)
        {
            return read.Invalid ?? AdminErrors.BadRequest("The body must be a JSON object such as {\"name\": \"team-a\"}.", code: "invalid_json");
        }
        if (!body.ContainsKey("name"))
        {
            return AdminErrors.BadRequest("'name' is required.", "name", "missing_required_parameter");
        }
        try
        {
            var (name, policy) = LicenceRequests.Apply(body, LicencePolicy.Unrestricted, PlatformNames(platforms));
            var issued = await store.CreateAsync(name!, policy, cancellationToken);
            return Results.Json(new CreatedLicenceView(issued.Key, LicenceView.From(issued.Licence, time.GetUtcNow())), AdminJson.Options,
                statusCode: StatusCodes.Status201Created);
        }
        catch (LicenceRequests.InvalidField invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
        catch (ArgumentException reserved)
        {
            return AdminErrors.BadRequest(reserved.Message, "name");
        }
    }

    private static async Task<IResult> ListAsync(ILicenceStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = await store.ListAsync(cancellationToken);
        return Results.Json(new AdminList<LicenceView>("list", [.. all.Select(l => LicenceView.From(l, now))]), AdminJson.Options);
    }

    private static async Task<IResult> GetAsync(long id, ILicenceStore store, TimeProvider time, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } licence
            ? Results.Json(LicenceView.From(licence, time.GetUtcNow()), AdminJson.Options)
            : AdminErrors.NotFound($"No licence has id {id}.");

    private static async Task<IResult> UpdateAsync(long id, HttpRequest request, ILicenceStore store, PlatformRegistry platforms, TimeProvider time, CancellationToken cancellationToken)
    {
        var read = await AdminJson.ReadAsync(request, cancellationToken);
        if (read.Object is not { } body)
        {
            return read.Invalid ?? AdminErrors.BadRequest("The body must be a JSON object of the fields to change.", code: "invalid_json");
        }
        if (await store.GetAsync(id, cancellationToken) is not { IsRevoked: false } current)
        {
            return AdminErrors.NotFound($"No active licence has id {id}.");
        }
        try
        {
            var (name, policy) = LicenceRequests.Apply(body, current.Policy, PlatformNames(platforms));
            if (current.Name == ILicenceStore.BootstrapName && name is not null && name != current.Name)
            {
                return AdminErrors.BadRequest("The bootstrap licence keeps its name: it is found by it when the configured key changes.", "name");
            }
            return await store.UpdateAsync(id, name == current.Name ? null : name, policy, cancellationToken) is { } updated
                ? Results.Json(LicenceView.From(updated, time.GetUtcNow()), AdminJson.Options)
                : AdminErrors.NotFound($"No active licence has id {id}.");
        }
        catch (LicenceRequests.InvalidField invalid)
        {
            return AdminErrors.BadRequest(invalid.Message, invalid.Param);
        }
        catch (ArgumentException reserved)
        {
            return AdminErrors.BadRequest(reserved.Message, "name");
        }
    }

    private static async Task<IResult> RevokeAsync(long id, ILicenceStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!await store.RevokeAsync(id, cancellationToken))
        {
            return AdminErrors.NotFound($"No active licence has id {id}.");
        }
        var revoked = await store.GetAsync(id, cancellationToken);
        return Results.Json(LicenceView.From(revoked!, time.GetUtcNow()), AdminJson.Options);
    }

    private static HashSet<string> PlatformNames(PlatformRegistry platforms) => [.. platforms.All.Select(static p => p.Name)];
}

/// <summary>The body of a licence's POST or PATCH, as the OpenAPI document describes it.</summary>
public sealed record LicenceBody(
    [property: System.Text.Json.Serialization.JsonPropertyName("name")] string? Name,
    [property: System.Text.Json.Serialization.JsonPropertyName("models")] IReadOnlyList<string>? Models,
    [property: System.Text.Json.Serialization.JsonPropertyName("platforms")] IReadOnlyList<string>? Platforms,
    [property: System.Text.Json.Serialization.JsonPropertyName("groups")] IReadOnlyList<string>? Groups,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: System.Text.Json.Serialization.JsonPropertyName("quota")] LicenceQuota? Quota,
    [property: System.Text.Json.Serialization.JsonPropertyName("limits")] LicenceLimits? Limits);
