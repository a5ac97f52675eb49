using System.Text.Json;
using System.Text.Json.Nodes;
using Manifold.Host.Metering.Prices;

namespace Manifold.Host.Admin;

/// <summary>
/// <c>/admin/api/prices</c>: the price table costs are computed with. GET reads it; PUT replaces it whole (send the table
/// back with your changes; an empty <c>data</c> makes every model free). Prices apply to what is metered from then on.
/// </summary>
internal static class AdminPriceEndpoints
{
    private static readonly HashSet<string> Fields = ["model", "input_per_million", "output_per_million", "per_image", "per_video_second", "per_request"];

    public static void Map(RouteGroupBuilder api)
    {
        var prices = api.MapGroup("/prices").WithTags("Prices");
        prices.MapGet("", Get)
            .Produces<AdminList<ModelPrice>>()
            .WithSummary("The price table: per model or prefix*, per million input and output tokens, per image, per video second and per request.");
        prices.MapPut("", ReplaceAsync)
            .Accepts<PriceTableBody>("application/json")
            .Produces<AdminList<ModelPrice>>()
            .Produces<AdminError>(StatusCodes.Status400BadRequest)
            .WithSummary("Replaces the price table; models without a price cost nothing.");
    }

    private static IResult Get(PriceTable table) => Results.Json(new AdminList<ModelPrice>("list", table.All), AdminJson.Options);

    private static async Task<IResult> ReplaceAsync(HttpRequest request, PriceStore store, PriceTable table, CancellationToken cancellationToken)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body is not JsonObject { } root || !root.TryGetPropertyValue("data", out var data) || data is not JsonArray list)
        {
            return AdminErrors.BadRequest("The body must be {\"data\": [{\"model\": \"gpt-4o*\", \"input_per_million\": 2.5, \"output_per_million\": 10}, …]}.", "data", "invalid_json");
        }
        if (root.Select(static p => p.Key).FirstOrDefault(static k => k is not ("data" or "object")) is { } unknown)
        {
            return AdminErrors.BadRequest($"Unknown field '{unknown}'. The body has data.", unknown);
        }
        var prices = new List<ModelPrice>(list.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            var param = $"data[{i}]";
            if (list[i] is not JsonObject item)
            {
                return AdminErrors.BadRequest($"'{param}' must be an object with a model and its prices.", param);
            }
            if (item.Select(static p => p.Key).FirstOrDefault(static k => !Fields.Contains(k)) is { } field)
            {
                return AdminErrors.BadRequest($"Unknown field '{field}' in '{param}'. A price has {string.Join(", ", Fields)}.", $"{param}.{field}");
            }
            if (item["model"] is not JsonValue modelValue || !modelValue.TryGetValue<string>(out var model) || (model = model.Trim()).Length == 0
                || model.IndexOf('*') is var star && star >= 0 && (star != model.Length - 1 || model.Length == 1))
            {
                return AdminErrors.BadRequest($"'{param}.model' must be a model name, or a prefix followed by one '*' (gpt-4o*).", $"{param}.model");
            }
            if (!seen.Add(model))
            {
                return AdminErrors.BadRequest($"'{model}' is priced twice; give each model (or prefix) one entry.", $"{param}.model");
            }
            decimal? Price(string name)
            {
                var node = item[name];
                if (node is null)
                {
                    return null;
                }
                return node is JsonValue value && value.TryGetValue<decimal>(out var price) && price >= 0
                    ? price
                    : throw new AdminQuery.Invalid($"{param}.{name}", $"'{param}.{name}' must be a number of 0 or more, or null.");
            }
            try
            {
                prices.Add(new ModelPrice(model, Price("input_per_million"), Price("output_per_million"), Price("per_image"), Price("per_video_second"), Price("per_request")));
            }
            catch (AdminQuery.Invalid invalid)
            {
                return AdminErrors.BadRequest(invalid.Message, invalid.Param);
            }
        }
        await store.ReplaceAsync(prices, cancellationToken);
        return Results.Json(new AdminList<ModelPrice>("list", table.All), AdminJson.Options);
    }
}

/// <summary>The body of <c>PUT /admin/api/prices</c>, as the OpenAPI document describes it.</summary>
public sealed record PriceTableBody([property: System.Text.Json.Serialization.JsonPropertyName("data")] IReadOnlyList<ModelPrice> Data);
